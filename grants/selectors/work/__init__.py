"""The work queue's providers of grants (``fundapp.core.work``), registered from
``GrantsConfig.ready()``: one module per audience, each counting in a fixed number of
queries, each item linking to the filtered list that shows exactly what it counts."""

from . import applicants, grants, members, secretariat  # noqa: F401  (each registers its providers)
