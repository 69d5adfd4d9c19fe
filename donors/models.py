# Donors, pledges and contributions arrive with the donors issue.
