"""Work queue providers: applicants (filled in by the workspaces work)."""
