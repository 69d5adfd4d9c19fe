"""Work queue providers: members (filled in by the workspaces work)."""
