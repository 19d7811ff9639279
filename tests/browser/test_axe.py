"""axe-core on every page, light and dark: nothing serious, nothing critical.

Moderate and minor findings are failures too unless listed in
AXE_ALLOWED with the reason we cannot fix them; the list is empty.
"""

from __future__ import annotations

import pytest

from .support import describe_violations, goto, page_scheme, run_axe, wait_for_scheme

#: (rule id, impact) → why it is tolerated. Keep it empty if at all possible.
AXE_ALLOWED: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_any_page(open_page, axe_js, pages: list[str], scheme: str) -> None:
    page, _ = open_page(scheme=scheme)
    serious, lesser = [], []
    for path in pages:
        goto(page, path)
        wait_for_scheme(page, scheme)
        assert page_scheme(page) == ("slate" if scheme == "dark" else "default")
        for v in run_axe(page):
            if (v["id"], v["impact"]) in AXE_ALLOWED:
                continue
            bucket = serious if v["impact"] in ("serious", "critical") else lesser
            bucket += describe_violations(f"/{path} ({scheme})", [v])
    assert not serious, "serious or critical:\n" + "\n".join(serious)
    assert not lesser, "moderate or minor:\n" + "\n".join(lesser)


@pytest.mark.parametrize("width", [390, 412])
def test_tap_targets_are_apart_on_a_phone(open_page, axe_js, pages: list[str], width: int) -> None:
    """WCAG 2.5.8 on a phone, the rule Lighthouse scores and axe leaves off.

    412 px is Lighthouse's mobile screen. A source's label wraps there, and a
    wrapped link's box covers the line its Evidence toggle sits on, so the two
    overlap unless the line is a line of text.
    """
    page, _ = open_page(width=width, height=844, is_mobile=True, has_touch=True)
    found = []
    for path in pages:
        goto(page, path)
        found += describe_violations(f"/{path} at {width} px", run_axe(page, only=["target-size"]))
    assert not found, "tap targets too small or too close:\n" + "\n".join(found)
