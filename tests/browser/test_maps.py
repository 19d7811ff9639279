"""The maps, as a reader meets them: every region there, named, reachable, themed.

Written against the maps' contract, not their drawing: each map is an inline
SVG whose 27 units are ``<path data-iso="UA-xx" data-status="…">`` (possibly
inside an ``<a>``), each with a ``<title>``; colours come from CSS custom
properties that switch with ``[data-md-color-scheme="slate"]``.
"""

from __future__ import annotations

import pytest
import yaml

from .support import REPO, goto, wait_for_scheme

MAP_PAGES = ["", "who-claims-what/"]

#: The first map figure on a page: the first <figure> holding region paths.
FIRST_MAP = "figure:has(svg [data-iso])"


@pytest.fixture(scope="module")
def regions() -> dict[str, str]:
    """ISO code → the name the site writes, from content/regions.yml."""
    data = yaml.safe_load((REPO / "content" / "regions.yml").read_text(encoding="utf-8"))
    return {r["code"]: r["name"] for r in data["regions"]}


def map_units(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """Each region of the first map: code, status, tooltip, and whether it takes focus."""
    figure = page.locator(FIRST_MAP).first
    figure.wait_for(state="attached")
    return figure.evaluate(
        """fig => [...fig.querySelectorAll('svg [data-iso]')].map(el => {
            const link = el.closest('a');
            const titleOf = node => node && [...node.children].find(c => c.localName === 'title');
            const title = titleOf(el) || titleOf(link);
            return {
                iso: el.getAttribute('data-iso'),
                status: el.getAttribute('data-status'),
                title: title ? title.textContent.trim() : null,
                focusable: !!(link && (link.hasAttribute('href') || link.hasAttribute('xlink:href')))
                    || el.getAttribute('tabindex') === '0',
            };
        })"""
    )


def accessible_names(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Chromium's computed accessible name of each region's focus target (its link, or itself)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.getDocument", {"depth": 0})
        cdp.send("Accessibility.enable")
        count = page.locator(FIRST_MAP).first.evaluate(
            "f => f.querySelectorAll('svg [data-iso]').length"
        )
        names = {}
        for i in range(count):
            element = (
                f"document.querySelector({FIRST_MAP!r}).querySelectorAll('svg [data-iso]')[{i}]"
            )
            iso = page.evaluate(f"() => {element}.getAttribute('data-iso')")
            target = cdp.send(
                "Runtime.evaluate", {"expression": f"(el => el.closest('a') || el)({element})"}
            )["result"]
            tree = cdp.send(
                "Accessibility.getPartialAXTree",
                {"objectId": target["objectId"], "fetchRelatives": False},
            )
            node = tree["nodes"][0]
            names[iso] = (node.get("name") or {}).get("value", "")
        return names
    finally:
        cdp.detach()


def completeness_problems(units: list[dict], regions: dict[str, str]) -> list[str]:
    """Each of the 27 regions once, each with a status."""
    codes = [u["iso"] for u in units]
    problems = []
    if len(codes) != 27:
        problems.append(f"{len(codes)} regions in the map, not 27")
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        problems.append(f"regions drawn twice: {twice}")
    if set(codes) != set(regions):
        missing, unknown = sorted(set(regions) - set(codes)), sorted(set(codes) - set(regions))
        problems.append(f"missing {missing}, unknown {unknown}")
    problems += [f"{u['iso']}: no data-status" for u in units if not u["status"]]
    return problems


def naming_problems(units: list[dict], names: dict[str, str], regions: dict[str, str]) -> list[str]:
    """Hover (the <title> tooltip) and focus (the accessible name) tell name and status."""
    problems = []
    wording: dict[str, set[str]] = {}
    for u in units:
        name = regions.get(u["iso"], u["iso"])
        if not u["title"] or name not in u["title"]:
            problems.append(f"{u['iso']}: tooltip {u['title']!r} does not name {name}")
        spoken = names.get(u["iso"], "")
        if name not in spoken:
            problems.append(f"{u['iso']}: accessible name {spoken!r} does not name {name}")
        status_words = spoken.replace(name, "").strip(" :,–-—()")
        if not any(c.isalpha() for c in status_words):
            problems.append(f"{u['iso']}: accessible name {spoken!r} does not say its status")
        else:
            wording.setdefault(u["status"], set()).add(status_words)
    statuses = sorted(wording, key=str)
    for i, a in enumerate(statuses):
        for b in statuses[i + 1 :]:
            if wording[a] & wording[b]:
                problems.append(
                    f"statuses {a} and {b} are both told as {sorted(wording[a] & wording[b])}"
                )
    return problems


_FOCUS_LOOK = """el => { const a = el.closest('a') || el, p = el;
    const sa = getComputedStyle(a), sp = getComputedStyle(p);
    return [sa.outlineStyle, sa.outlineWidth, sa.outlineColor, sp.stroke, sp.strokeWidth].join(' '); }"""


def keyboard_reach(page) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """Tab through the first map from just before it.

    Returns the regions focus reached, in order, and those whose look did not
    change while focused (no visible focus indicator).
    """
    page.locator(FIRST_MAP).first.evaluate(
        """f => { const s = document.createElement('span'); s.tabIndex = -1;
                  f.before(s); s.focus(); }"""
    )
    reached: list[str] = []
    focused_look: dict[str, str] = {}
    for _ in range(200):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """([sel, look]) => { const a = document.activeElement; const fig = document.querySelector(sel);
                        if (!fig.contains(a)) return {inside: false};
                        const el = a.matches('[data-iso]') ? a : a.querySelector('[data-iso]');
                        return {inside: true, iso: el && el.getAttribute('data-iso'),
                                look: el && eval(look)(el)}; }""",
            [FIRST_MAP, _FOCUS_LOOK],
        )
        if not state["inside"]:
            break
        if state["iso"]:
            reached.append(state["iso"])
            focused_look[state["iso"]] = state["look"]
    invisible = []
    for iso, look in focused_look.items():
        resting = page.locator(f"{FIRST_MAP} svg [data-iso='{iso}']").first.evaluate(
            f"el => ({_FOCUS_LOOK})(el)"
        )
        if resting == look:
            invisible.append(iso)
    return reached, invisible


@pytest.mark.parametrize("path", MAP_PAGES, ids=["home", "who-claims-what"])
def test_the_first_map_shows_all_27_regions_once(open_page, path: str, regions) -> None:
    page, _ = open_page()
    goto(page, path)
    problems = completeness_problems(map_units(page), regions)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", MAP_PAGES, ids=["home", "who-claims-what"])
def test_every_region_tells_its_name_and_status_on_hover_and_focus(
    open_page, path: str, regions
) -> None:
    page, _ = open_page()
    goto(page, path)
    problems = naming_problems(map_units(page), accessible_names(page), regions)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", MAP_PAGES, ids=["home", "who-claims-what"])
def test_every_region_is_reachable_by_keyboard(open_page, path: str) -> None:
    page, _ = open_page()
    goto(page, path)
    units = map_units(page)
    assert all(u["focusable"] for u in units), [u["iso"] for u in units if not u["focusable"]]
    reached, invisible = keyboard_reach(page)
    assert not invisible, f"no visible focus indicator on {invisible}"
    assert sorted(set(reached)) == sorted(u["iso"] for u in units), (
        f"Tab reached {len(set(reached))} of {len(units)} regions: "
        f"missing {sorted({u['iso'] for u in units} - set(reached))}"
    )


@pytest.mark.parametrize("path", MAP_PAGES, ids=["home", "who-claims-what"])
def test_the_dark_mode_toggle_recolours_the_map(open_page, path: str) -> None:
    page, log = open_page(scheme="light")
    goto(page, path)
    wait_for_scheme(page, "light")
    region = page.locator(f"{FIRST_MAP} svg [data-iso]").first
    light = region.evaluate("el => getComputedStyle(el).fill")
    assert light and light != "none", f"the region has no fill: {light!r}"
    # Material's palette toggle: the visible label cycles auto → light → dark.
    for _ in range(3):
        if page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate":
            break
        page.locator("#wcw-palette label:not([hidden])").click()
    wait_for_scheme(page, "dark")
    page.wait_for_function(
        "([el, before]) => getComputedStyle(el).fill !== before",
        arg=[region.element_handle(), light],
        timeout=3_000,
    )
    dark = region.evaluate("el => getComputedStyle(el).fill")
    assert dark != light and dark != "none", (light, dark)
    assert not log.problems(), log.problems()
