"""rasd/store: the one place where SQL lives.

`database` opens the process's one connection per file (`open_store`) and runs transactions;
`schema` versions the schema and migrates older files. One query module per concern, each
taking a `Store`: `articles` (the store stage's writes), `seen`, `dedup_index`, `validators`,
`outlets`, `runs`, `daemon_state`, `digests`, `reports`, `retention`, `rematch`,
`maintenance`; `statements` builds the INSERT/UPSERT/UPDATE they share.
"""
