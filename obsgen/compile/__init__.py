"""Model to artifacts: pure functions, one module per kind of artifact."""
