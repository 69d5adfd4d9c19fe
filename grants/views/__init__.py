"""Server-rendered pages of the grant cycle: thin views over services and selectors."""
