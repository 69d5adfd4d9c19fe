"""Work queue provider of the notifications: deliveries that failed, for the secretariat.
(Filled in by the workspaces work.)"""
