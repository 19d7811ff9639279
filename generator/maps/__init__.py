"""The maps stage: map specs checked against the facts, drawn, placed in pages.

- spec: ``maps/*.yml``, parsed and checked (``check_maps`` returns the specs for the build)
- geometry: the boundaries, projected once and cached; the boundaries' credit line
- wording, labels, palette: what a map says, where names sit, its colours
- svg, png: the inline SVG and the Open Graph preview image
- figure (+ templates/): the HTML figure, legend, data table and locator around a map
- render: ``render_maps`` and ``MapSet``, the maps of one build

Maps import only :mod:`generator.content`; the site stage reaches them
through the ``MapSet`` it is handed.
"""
