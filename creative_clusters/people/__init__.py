"""People and place assets: workforce, self-employment, inclusion, anchors, createch, FDI.

Modules (pure functions on tables; the warehouse is read in
:mod:`creative_clusters.workflows.workforce_report`,
``inclusion_report``, ``anchors_report``, ``createch_report`` and ``fdi_report``):

- :mod:`.workforce` — Census TS060 divisions → creative residents (BRES 4-digit shares)
- :mod:`.occupations` — SOC 2020 minor-group bounds on creative occupations; self-employment
- :mod:`.selfemployed_lq` — the self-employment-inclusive LQ and its gap
- :mod:`.trident` — the creative trident and creative intensity on a SIC × SOC table
- :mod:`.inclusion` — deprivation ranks/deciles, job quality, workforce composition
- :mod:`.anchors` — HEIs and museums per place; nearest anchors to microclusters
- :mod:`.createch` — the createch flag for firms
- :mod:`.fdi` — FDI project-list importer and FDI location quotient
- :mod:`.checks` — geography-level and vintage checks

Method notes: ``docs/workforce.md``.
"""
