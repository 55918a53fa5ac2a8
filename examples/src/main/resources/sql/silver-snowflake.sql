-- FlowGuard Silver views for Snowflake, over the Bronze tables SnowflakeMergeSink writes (ORDERS_RAW, CLICKS_RAW;
-- RAW_EVENT is a VARIANT). Run in the Bronze schema (USE SCHEMA BRONZE). One row per INGESTION_ID (the earliest
-- INGESTED_AT wins, via QUALIFY), so rows repeated by an append-mode sink (COPY/Snowpipe) or a replay never reach Silver.
-- Typed columns use RAW_EVENT:field::STRING for text and TRY_CAST(RAW_EVENT:field::STRING AS type) for numbers and
-- timestamps, so a value of the wrong type reads as NULL instead of failing the query.
-- Schema evolution: v1 events carry user_id, v2 renamed it to customer_id. CUSTOMER_ID reads whichever the event's
-- SCHEMA_VERSION has (COALESCE(customer_id, user_id)), so one column serves both versions.

CREATE OR REPLACE VIEW ORDERS_SILVER AS
SELECT
    INGESTION_ID,
    EVENT_ID,
    EVENT_TYPE,
    SCHEMA_VERSION,
    PRODUCER_SERVICE,
    SOURCE_TOPIC,
    KAFKA_PARTITION,
    KAFKA_OFFSET,
    KAFKA_TIMESTAMP,
    INGESTED_AT,
    RAW_EVENT:order_id::STRING                                            AS ORDER_ID,
    COALESCE(TRY_CAST(RAW_EVENT:customer_id::STRING AS NUMBER),
             TRY_CAST(RAW_EVENT:user_id::STRING AS NUMBER))                    AS CUSTOMER_ID,
    RAW_EVENT:restaurant.id::STRING                                       AS RESTAURANT_ID,
    RAW_EVENT:restaurant.name::STRING                                     AS RESTAURANT_NAME,
    ARRAY_SIZE(RAW_EVENT:items)                                           AS ITEM_COUNT,
    TRY_CAST(RAW_EVENT:total_price::STRING AS NUMBER(12, 2))                AS TOTAL_PRICE,
    RAW_EVENT:currency::STRING                                            AS CURRENCY,
    TRY_CAST(RAW_EVENT:created_at::STRING AS TIMESTAMP_TZ)                     AS CREATED_AT
FROM ORDERS_RAW
QUALIFY ROW_NUMBER() OVER (PARTITION BY INGESTION_ID ORDER BY INGESTED_AT) = 1;

CREATE OR REPLACE VIEW CLICKS_SILVER AS
SELECT
    INGESTION_ID,
    EVENT_ID,
    EVENT_TYPE,
    SCHEMA_VERSION,
    PRODUCER_SERVICE,
    SOURCE_TOPIC,
    KAFKA_PARTITION,
    KAFKA_OFFSET,
    KAFKA_TIMESTAMP,
    INGESTED_AT,
    COALESCE(TRY_CAST(RAW_EVENT:customer_id::STRING AS NUMBER),
             TRY_CAST(RAW_EVENT:user_id::STRING AS NUMBER))                    AS CUSTOMER_ID,
    RAW_EVENT:session_id::STRING                                          AS SESSION_ID,
    RAW_EVENT:page::STRING                                                AS PAGE,
    RAW_EVENT:element::STRING                                             AS ELEMENT,
    RAW_EVENT:device::STRING                                              AS DEVICE,
    TRY_CAST(RAW_EVENT:clicked_at::STRING AS TIMESTAMP_TZ)                     AS CLICKED_AT
FROM CLICKS_RAW
QUALIFY ROW_NUMBER() OVER (PARTITION BY INGESTION_ID ORDER BY INGESTED_AT) = 1;
