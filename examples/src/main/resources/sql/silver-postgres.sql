-- FlowGuard Silver views for PostgreSQL, over the Bronze tables JdbcBronzeSink writes ("ORDERS_RAW", "CLICKS_RAW";
-- upper-case quoted names, RAW_EVENT as jsonb). Run with the Bronze schema first on the search_path
-- (SET search_path TO "BRONZE", public). One row per INGESTION_ID (the earliest INGESTED_AT wins), so rows repeated by
-- an append-mode sink or a replay never reach Silver; PostgreSQL has no QUALIFY, hence the subquery.
-- Numbers are read only when the JSON value is a number (jsonb_typeof), timestamps only when they look like ISO-8601,
-- so a value of the wrong type reads as NULL instead of failing the query.
-- Schema evolution: v1 events carry user_id, v2 renamed it to customer_id. CUSTOMER_ID reads whichever the event's
-- SCHEMA_VERSION has (COALESCE(customer_id, user_id)), so one column serves both versions.

CREATE OR REPLACE VIEW "ORDERS_SILVER" AS
SELECT
    "INGESTION_ID",
    "EVENT_ID",
    "EVENT_TYPE",
    "SCHEMA_VERSION",
    "PRODUCER_SERVICE",
    "SOURCE_TOPIC",
    "KAFKA_PARTITION",
    "KAFKA_OFFSET",
    "KAFKA_TIMESTAMP",
    "INGESTED_AT",
    "RAW_EVENT"->>'order_id'                                                        AS "ORDER_ID",
    COALESCE(CASE WHEN jsonb_typeof("RAW_EVENT"->'customer_id') = 'number'
                  THEN ("RAW_EVENT"->>'customer_id')::numeric::bigint END,
             CASE WHEN jsonb_typeof("RAW_EVENT"->'user_id') = 'number'
                  THEN ("RAW_EVENT"->>'user_id')::numeric::bigint END)               AS "CUSTOMER_ID",
    "RAW_EVENT"->'restaurant'->>'id'                                                AS "RESTAURANT_ID",
    "RAW_EVENT"->'restaurant'->>'name'                                              AS "RESTAURANT_NAME",
    CASE WHEN jsonb_typeof("RAW_EVENT"->'items') = 'array'
         THEN jsonb_array_length("RAW_EVENT"->'items') END                          AS "ITEM_COUNT",
    CASE WHEN jsonb_typeof("RAW_EVENT"->'total_price') = 'number'
         THEN ("RAW_EVENT"->>'total_price')::numeric(12, 2) END                     AS "TOTAL_PRICE",
    "RAW_EVENT"->>'currency'                                                        AS "CURRENCY",
    CASE WHEN "RAW_EVENT"->>'created_at' ~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}'
         THEN ("RAW_EVENT"->>'created_at')::timestamptz END                         AS "CREATED_AT"
FROM (
    SELECT b.*, ROW_NUMBER() OVER (PARTITION BY "INGESTION_ID" ORDER BY "INGESTED_AT") AS row_in_id
    FROM "ORDERS_RAW" b
) deduplicated
WHERE row_in_id = 1;

CREATE OR REPLACE VIEW "CLICKS_SILVER" AS
SELECT
    "INGESTION_ID",
    "EVENT_ID",
    "EVENT_TYPE",
    "SCHEMA_VERSION",
    "PRODUCER_SERVICE",
    "SOURCE_TOPIC",
    "KAFKA_PARTITION",
    "KAFKA_OFFSET",
    "KAFKA_TIMESTAMP",
    "INGESTED_AT",
    COALESCE(CASE WHEN jsonb_typeof("RAW_EVENT"->'customer_id') = 'number'
                  THEN ("RAW_EVENT"->>'customer_id')::numeric::bigint END,
             CASE WHEN jsonb_typeof("RAW_EVENT"->'user_id') = 'number'
                  THEN ("RAW_EVENT"->>'user_id')::numeric::bigint END)               AS "CUSTOMER_ID",
    "RAW_EVENT"->>'session_id'                                                      AS "SESSION_ID",
    "RAW_EVENT"->>'page'                                                            AS "PAGE",
    "RAW_EVENT"->>'element'                                                         AS "ELEMENT",
    "RAW_EVENT"->>'device'                                                          AS "DEVICE",
    CASE WHEN "RAW_EVENT"->>'clicked_at' ~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}'
         THEN ("RAW_EVENT"->>'clicked_at')::timestamptz END                         AS "CLICKED_AT"
FROM (
    SELECT b.*, ROW_NUMBER() OVER (PARTITION BY "INGESTION_ID" ORDER BY "INGESTED_AT") AS row_in_id
    FROM "CLICKS_RAW" b
) deduplicated
WHERE row_in_id = 1;
