-- Prices per model in USD, exact decimals: per million input (prompt) tokens, per million output (completion)
-- tokens and per request. model_key is the name as the gateway matches it (lower case, Ollama's implicit
-- ':latest' tag added), so 'llama3.2' and 'llama3.2:latest' are one row; model is the name as the admin wrote it.
CREATE TABLE model_prices (
    model_key       TEXT PRIMARY KEY,
    model           TEXT        NOT NULL,
    input_per_mtok  NUMERIC     NOT NULL CHECK (input_per_mtok >= 0),
    output_per_mtok NUMERIC     NOT NULL CHECK (output_per_mtok >= 0),
    per_request     NUMERIC     NOT NULL CHECK (per_request >= 0),
    updated_at      TIMESTAMPTZ NOT NULL
);
