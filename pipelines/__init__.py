"""Item pipelines, one module per stage, in item order: extract, language, keywords, store."""
