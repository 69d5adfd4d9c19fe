"""Demo data of the donors app: donors, pledges, contributions and rates (``seed``)."""

from donors.demo.seed import seed_donors

__all__ = ["seed_donors"]
