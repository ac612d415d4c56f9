"""Running the registry and writing its verdicts (JSON, Markdown, HTML)."""
