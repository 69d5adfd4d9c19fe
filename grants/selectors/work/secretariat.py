"""Work queue providers: secretariat (filled in by the workspaces work)."""
