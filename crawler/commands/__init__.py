"""Click commands of the `rasd` CLI, and the options they share."""
