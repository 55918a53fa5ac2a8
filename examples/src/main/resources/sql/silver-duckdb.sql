-- FlowGuard Silver views for DuckDB, over the Bronze tables JdbcBronzeSink writes (ORDERS_RAW, CLICKS_RAW).
-- Run in the schema that holds them. One row per INGESTION_ID (the earliest INGESTED_AT wins), so rows repeated by an
-- append-mode sink or a replay never reach Silver. Typed columns come from RAW_EVENT with TRY_CAST: a value of the
-- wrong type reads as NULL instead of failing the query.
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
    RAW_EVENT->>'$.order_id'                                              AS ORDER_ID,
    COALESCE(TRY_CAST(RAW_EVENT->>'$.customer_id' AS BIGINT),
             TRY_CAST(RAW_EVENT->>'$.user_id' AS BIGINT))                 AS CUSTOMER_ID,
    RAW_EVENT->>'$.restaurant.id'                                         AS RESTAURANT_ID,
    RAW_EVENT->>'$.restaurant.name'                                       AS RESTAURANT_NAME,
    CAST(json_array_length(RAW_EVENT, '$.items') AS INTEGER)              AS ITEM_COUNT,
    TRY_CAST(RAW_EVENT->>'$.total_price' AS DECIMAL(12, 2))               AS TOTAL_PRICE,
    RAW_EVENT->>'$.currency'                                              AS CURRENCY,
    TRY_CAST(RAW_EVENT->>'$.created_at' AS TIMESTAMPTZ)                   AS CREATED_AT
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
    COALESCE(TRY_CAST(RAW_EVENT->>'$.customer_id' AS BIGINT),
             TRY_CAST(RAW_EVENT->>'$.user_id' AS BIGINT))                 AS CUSTOMER_ID,
    RAW_EVENT->>'$.session_id'                                            AS SESSION_ID,
    RAW_EVENT->>'$.page'                                                  AS PAGE,
    RAW_EVENT->>'$.element'                                               AS ELEMENT,
    RAW_EVENT->>'$.device'                                                AS DEVICE,
    TRY_CAST(RAW_EVENT->>'$.clicked_at' AS TIMESTAMPTZ)                   AS CLICKED_AT
FROM CLICKS_RAW
QUALIFY ROW_NUMBER() OVER (PARTITION BY INGESTION_ID ORDER BY INGESTED_AT) = 1;
