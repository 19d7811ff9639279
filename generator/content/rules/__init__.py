"""Editorial rules: checks of what a fact says, beyond its schema and its references."""
