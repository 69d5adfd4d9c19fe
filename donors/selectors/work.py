"""Work queue providers of donors (``fundapp.core.work``): the donor's own contributions,
receipts and pledges outstanding, and the secretariat's pledges not yet received.
(Filled in by the workspaces work.)"""
