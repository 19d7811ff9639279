"""What is published beside the pages: open data, the feeds, the /contributing/ page.

The unit tests run on a small fixture loaded into the real FactBase; the
end-to-end test builds the real content with the real command line and
reads the files back as a reader's tools would (jsonschema, csv, geopandas,
feedparser, icalendar).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import feedparser
import icalendar
import jsonschema
import pytest

from generator.content.project import REPO_ROOT, Project
from generator.outputs.atom import FEED_ENTRIES, TAG, atom_feed, changed
from generator.outputs.contributing import blocks, contributing_page
from generator.outputs.ical import calendar
from generator.outputs.opendata import (
    CLAIM_COLUMNS,
    DEADLINE_COLUMNS,
    EVENT_COLUMNS,
    _csv,
    open_data_files,
    region_map_categories,
)
from generator.site.templating import environment, render

from .conftest import REPO, make_project, run_cli
from .publishing_helpers import AS_OF, SITE_URL, isolated_project, loaded, rich_project


@pytest.fixture
def rich(tmp_path: Path):
    return rich_project(tmp_path / "project")


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


# ---- open data ------------------------------------------------------------------


def test_facts_json_validates_against_its_schema(rich) -> None:
    project, fb = rich
    files = open_data_files(fb, project, AS_OF, SITE_URL)
    facts = json.loads(files["data/facts.json"])
    schema = json.loads(files["data/facts.schema.json"])
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(facts)
    assert facts["about"]["as_of"] == "2025-08-10"
    assert facts["about"]["licence"] == "CC-BY-4.0"
    for name in ("sources", "actors", "claims", "events", "deadlines", "proposals", "briefs"):
        assert [r["id"] for r in facts[name]] == sorted(getattr(fb, name)), name
    assert len(facts["regions"]) == 27
    claim = next(c for c in facts["claims"] if c["id"] == "officials-work-toward-deal")
    assert claim["added"] == "2025-08-09" and claim["updated"] == "2025-08-12"
    assert claim["sources"][0]["via"] == "citing people familiar with the matter"


def test_schema_rejects_what_the_model_rejects(rich) -> None:
    project, fb = rich
    files = open_data_files(fb, project, AS_OF, SITE_URL)
    facts = json.loads(files["data/facts.json"])
    validator = jsonschema.Draft202012Validator(json.loads(files["data/facts.schema.json"]))
    facts["claims"][0]["stance"] = "insists"
    facts["claims"][1]["surprise"] = True
    errors = list(validator.iter_errors(facts))
    assert len(errors) == 2, [e.message for e in errors]


def test_csv_one_row_per_record(rich) -> None:
    project, fb = rich
    files = open_data_files(fb, project, AS_OF, SITE_URL)
    for name, columns, table in (
        ("claims", CLAIM_COLUMNS, fb.claims),
        ("events", EVENT_COLUMNS, fb.events),
        ("deadlines", DEADLINE_COLUMNS, fb.deadlines),
    ):
        data = files[f"data/{name}.csv"]
        assert data.startswith(",".join(columns).encode() + b"\r\n")
        rows = _csv_rows(data)
        assert len(rows) == len(table), name
        assert sorted(r["id"] for r in rows) == sorted(table), name
    claims = {r["id"]: r for r in _csv_rows(files["data/claims.csv"])}
    four = claims["putin-claims-four-regions"]
    assert four["regions"] == "UA-09; UA-14; UA-23; UA-65"
    assert four["region_names"] == "Luhansk; Donetsk; Zaporizhzhia; Kherson"
    assert four["party"] == "russia" and four["sources"] == "lock-in-report"
    assert four["url"] == SITE_URL + "who-claims-what/#claim-putin-claims-four-regions"
    deadlines = {r["id"]: r for r in _csv_rows(files["data/deadlines.csv"])}
    assert deadlines["friday-deadline"]["state_as_of"] == "passed"
    assert deadlines["original-ultimatum"]["state_as_of"] == "superseded"


def test_csv_quotes_as_rfc_4180_and_refuses_a_row_of_other_fields() -> None:
    """The writer quotes what needs it, makes formulas inert, and a row whose
    fields are not the columns (a field added to the model but not to them)
    stops the build rather than shifting or dropping a column."""
    rows = [{"id": "a", "text": 'say "no", then\nleave'}, {"id": "b", "text": "=SUM(A1)"}]
    data = _csv(("id", "text"), rows)
    assert data == b'id,text\r\na,"say ""no"", then\nleave"\r\nb,\'=SUM(A1)\r\n'
    assert _csv_rows(data) == [{"id": "a", "text": 'say "no", then\nleave'},
                               {"id": "b", "text": "'=SUM(A1)"}]  # fmt: skip
    with pytest.raises(ValueError, match="not the columns"):
        _csv(("id", "text"), [{"id": "a", "text": "t", "extra": "x"}])
    with pytest.raises(ValueError, match="not the columns"):
        _csv(("id", "text"), [{"id": "a"}])


def test_regions_geojson_reads_back_with_geopandas(rich, tmp_path: Path) -> None:
    geopandas = pytest.importorskip("geopandas")
    project, fb = rich
    path = tmp_path / "regions.geojson"
    path.write_bytes(open_data_files(fb, project, AS_OF, SITE_URL)["data/regions.geojson"])
    frame = geopandas.read_file(path)
    assert len(frame) == 27
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    assert frame.geometry.notna().all() and frame.geometry.is_valid.all()
    assert sorted(frame["code"]) == sorted(fb.regions)
    data = json.loads(path.read_text(encoding="utf-8"))
    kherson = next(f for f in data["features"] if f["id"] == "UA-65")["properties"]
    assert kherson["name"] == "Kherson"
    assert kherson["claims"] == ["putin-claims-four-regions"]
    assert kherson["latest_by_party"]["russia"]["claim"] == "putin-claims-four-regions"
    assert kherson["maps"]["mini-claims"] == {
        "category": "claimed",
        "label": "Claimed by Russia",
        "claims": ["putin-claims-four-regions"],
        "overlays": [],
    }
    lviv = next(f for f in data["features"] if f["id"] == "UA-46")["properties"]
    assert lviv["maps"]["mini-claims"]["category"] == "not-claimed" and lviv["claims"] == []


def test_regions_carry_each_maps_category() -> None:
    """On the real content and map specs, every region has a category on every map."""
    project = Project.at()
    from generator.content.factbase import load
    from generator.content.problems import Problems
    from generator.maps.spec import load_specs

    fb, problems = load(project)
    spec_problems = Problems()
    specs = load_specs(project, spec_problems)
    if problems or spec_problems or not specs:
        pytest.skip("the shipped content or map specs do not check right now")
    categories = region_map_categories(fb, project)
    for code in fb.regions:
        assert set(categories[code]) == {s.id for s in specs}
    for spec in specs:
        for assignment in spec.assignments:
            for code in assignment.regions:
                assert categories[code][spec.id]["category"] == assignment.category


def test_open_data_is_deterministic_and_dated_only_by_as_of(rich) -> None:
    project, fb = rich
    first = open_data_files(fb, project, AS_OF, SITE_URL)
    assert first == open_data_files(fb, project, AS_OF, SITE_URL)
    today = dt.date.today().isoformat()
    if today != AS_OF.isoformat():
        for name, data in first.items():
            assert today.encode() not in data, name
    readme = first["data/README.txt"].decode()
    assert "CC BY 4.0" in readme and "project's choice" in readme
    assert "Natural Earth" in readme and "MIT" in readme
    assert "Data as of 2025-08-10" in readme
    assert (
        first["data/LICENSE-boundaries.txt"]
        == (project.maps / "LICENSE-boundaries.md").read_bytes()
    )


# ---- feeds ----------------------------------------------------------------------


def test_atom_feed_is_valid_with_one_entry_per_claim_and_event(rich) -> None:
    project, fb = rich
    xml = atom_feed(fb, AS_OF, SITE_URL)
    feed = feedparser.parse(xml)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert len(fb.claims) + len(fb.events) < FEED_ENTRIES
    assert len(feed.entries) == len(fb.claims) + len(fb.events)
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids) and all(i.startswith(TAG + ":") for i in ids)
    assert "by the date of the fact itself" in feed.feed.subtitle
    links = {e.id: e.link for e in feed.entries}
    assert links[f"{TAG}:claim:putin-claims-four-regions"] == (
        SITE_URL + "who-claims-what/#claim-putin-claims-four-regions"
    )
    assert links[f"{TAG}:event:alaska-summit"] == SITE_URL + "timeline/#event-alaska-summit"
    # Newest change first: the claim updated on 12 August leads; its
    # publication date is when it was added.
    first = feed.entries[0]
    assert first.id == f"{TAG}:claim:officials-work-toward-deal"
    assert first.updated.startswith("2025-08-12") and first.published.startswith("2025-08-09")
    # A fact with no recorded date falls back to its own date, but never
    # later than the edition (the summit of 15 August is dated 10 August).
    summit = next(e for e in feed.entries if e.id.endswith(":event:alaska-summit"))
    assert summit.updated.startswith("2025-08-10")
    assert feed.feed.updated.startswith("2025-08-12")
    assert "<script" not in xml.decode()


def test_feed_entry_content_is_rendered_safely(tmp_path: Path) -> None:
    text = (REPO / "tests" / "fixtures" / "mini" / "base.yml").read_text(encoding="utf-8")
    hostile = text.replace(
        "text: Putin claims **four** regions.",
        'text: "<script>alert(1)</script> [x](javascript:alert(1)) **four**"',
    )
    assert hostile != text
    project, fb = loaded(isolated_project(tmp_path / "p", {"base.yml": hostile}))
    xml = atom_feed(fb, AS_OF, SITE_URL).decode()
    feed = feedparser.parse(xml)
    content = next(e for e in feed.entries if "claim:" in e.id).content[0].value
    assert "<script" not in content and "&lt;script&gt;" in content
    assert "href=" not in content.split("Sources:")[0]  # the javascript: link stays text
    assert "<strong>four</strong>" in content


def test_calendar_has_every_deadline_and_summit_as_all_day_events(rich) -> None:
    project, fb = rich
    ics = calendar(fb, AS_OF, SITE_URL)
    lines = ics.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)
    assert b"\n" not in ics.replace(b"\r\n", b"")
    cal = icalendar.Calendar.from_ical(ics)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    summits = [e for e in fb.events.values() if e.kind.value == "summit"]
    assert len(events) == len(fb.deadlines) + len(summits) == 4

    def span(uid: str) -> tuple[dt.date, dt.date]:
        event = events[uid]
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        # All-day events: dates, never date-times.
        assert type(start) is dt.date and type(end) is dt.date
        return start, end

    assert span("deadline-friday-deadline@who-claims-what.github.io") == (
        dt.date(2025, 8, 8), dt.date(2025, 8, 9)
    )  # fmt: skip
    # Known only to the month: the whole month, and said so.
    assert span("deadline-original-ultimatum@who-claims-what.github.io") == (
        dt.date(2025, 9, 1), dt.date(2025, 10, 1)
    )  # fmt: skip
    ultimatum = events["deadline-original-ultimatum@who-claims-what.github.io"]
    assert "only the month" in str(ultimatum["DESCRIPTION"])
    assert str(ultimatum["STATUS"]) == "CANCELLED"  # superseded
    # Known only to the year: the whole year.
    assert span("event-geneva-summit-2021@who-claims-what.github.io") == (
        dt.date(2021, 1, 1), dt.date(2022, 1, 1)
    )  # fmt: skip
    alaska = events["event-alaska-summit@who-claims-what.github.io"]
    assert str(alaska["LOCATION"]) == "Alaska"
    assert str(alaska["URL"]) == SITE_URL + "timeline/#event-alaska-summit"
    friday = events["deadline-friday-deadline@who-claims-what.github.io"]
    assert "Passed" in str(friday["DESCRIPTION"])  # its state on the as-of date
    assert str(friday["URL"]) == SITE_URL + "deadlines/#deadline-friday-deadline"


def test_feeds_are_deterministic(rich) -> None:
    project, fb = rich
    assert atom_feed(fb, AS_OF, SITE_URL) == atom_feed(fb, AS_OF, SITE_URL)
    assert calendar(fb, AS_OF, SITE_URL) == calendar(fb, AS_OF, SITE_URL)
    # Entries keep their ids when the site moves.
    moved = feedparser.parse(atom_feed(fb, AS_OF, "https://example.org/wcw/"))
    here = feedparser.parse(atom_feed(fb, AS_OF, SITE_URL))
    assert [e.id for e in moved.entries] == [e.id for e in here.entries]
    moved_cal = icalendar.Calendar.from_ical(calendar(fb, AS_OF, "https://example.org/wcw/"))
    here_cal = icalendar.Calendar.from_ical(calendar(fb, AS_OF, SITE_URL))
    uids = [[str(e["UID"]) for e in c.walk("VEVENT")] for c in (moved_cal, here_cal)]
    assert uids[0] == uids[1]


def test_a_calendar_that_comes_out_the_same_is_served_as_kept(
    rich, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit that changes no deadline or summit serves the file the last build
    wrote (icalendar is then never imported); any change to what it shows
    writes it again, as does other code."""
    from generator.outputs import ical

    project, fb = rich
    kept, code = tmp_path / "calendar.marshal", b"the generator's code"
    first = calendar(fb, AS_OF, SITE_URL, kept, code)
    assert first == calendar(fb, AS_OF, SITE_URL), "kept or not, the same file"

    def made_again(events: object) -> bytes:
        raise AssertionError("the calendar was written again")

    with monkeypatch.context() as patched:
        patched.setattr(ical, "_to_ical", made_again)
        assert calendar(fb, AS_OF, SITE_URL, kept, code) == first
        with pytest.raises(AssertionError, match="written again"):
            calendar(fb, AS_OF, SITE_URL, kept, b"other code")

    deadline = fb.deadlines["friday-deadline"]
    object.__setattr__(deadline, "threat", "a new threat")
    changed = calendar(fb, AS_OF, SITE_URL, kept, code)
    assert changed != first and b"a new threat" in changed
    assert changed == calendar(fb, AS_OF, SITE_URL)
    assert calendar(fb, AS_OF, "https://example.org/wcw/", kept, code) == calendar(
        fb, AS_OF, "https://example.org/wcw/"
    ), "the site's address is part of what it is made from"


def test_calendar_folds_long_non_ascii_lines_without_splitting_characters(rich) -> None:
    project, fb = rich
    deadline = fb.deadlines["friday-deadline"]
    object.__setattr__(deadline, "threat", "тарифи " * 40)
    ics = calendar(fb, AS_OF, SITE_URL)
    for line in ics.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no line ends inside a character
    parsed = icalendar.Calendar.from_ical(ics)
    event = next(e for e in parsed.walk("VEVENT") if "friday" in str(e["UID"]))
    assert "тарифи " * 40 in str(event["DESCRIPTION"])


# ---- the /contributing/ page -------------------------------------------------------


def test_contributing_page_is_the_guide_rendered_safely(tmp_path: Path) -> None:
    content = isolated_project(tmp_path / "p")
    (content / "README.md").write_text(
        "# Guide {: onclick=alert(1) }\n\n"
        "Text <script>alert(1)</script> and <b>bold</b>.\n\n"
        "[bad](javascript:alert(1)) [good](https://example.org/) ![img](https://x.invalid/a.png)\n\n"
        "## Example\n\n```yaml\nclaims:\n\n  - id: x # {{ jinja }}\n```\n",
        encoding="utf-8",
    )
    project = Project.at(content)
    page = contributing_page(project)
    assert page.path == "contributing/index.md" and page.url == "contributing/"
    text = render(page.template, page=page, **page.view)
    assert "<script" not in text and "<b>" not in text and 'href="javascript' not in text
    assert "&lt;script&gt;" in text and "&lt;b&gt;" in text
    assert "[bad](javascript:alert(1))" in text  # left as text, never a link
    assert '<a href="https://example.org/" rel="noopener nofollow">good</a>' in text
    assert "<img" not in text  # images would load from elsewhere: only a link remains
    # Headings stay Markdown (for the table of contents), their symbols encoded.
    assert re.search(r"^# Guide &#123;&#58; onclick&#61;alert&#40;1&#41; &#125;$", text, re.M)
    assert re.search(r"^## Example$", text, re.M)
    # Code keeps its blank line and is not evaluated as a template.
    assert "claims:\n\n  - id: x # {{ jinja }}" in text
    assert page.title == "Guide {: onclick=alert(1) }"


def test_contributing_page_falls_back_to_the_repository_guide(tmp_path: Path) -> None:
    project = Project.at(isolated_project(tmp_path / "p"))
    page = contributing_page(project)
    assert page.title == "Contributing facts"
    levels = [b.level for b in page.view["blocks"] if b.level]
    assert levels[0] == 1 and levels.count(1) == 1
    assert environment()  # the template compiles in the shared environment
    assert any(b.text == "Error messages and what to do" for b in blocks(
        (REPO_ROOT / "content" / "README.md").read_text(encoding="utf-8")
    ))  # fmt: skip


# ---- end to end --------------------------------------------------------------------


@pytest.mark.slow
def test_built_site_publishes_data_feeds_and_guide(tmp_path: Path) -> None:
    files = {
        p.relative_to(REPO / "content").as_posix(): p
        for p in (REPO / "content").rglob("*")
        if p.is_file()
    }
    content = make_project(tmp_path / "project", files)
    site = tmp_path / "site"
    result = run_cli("build", "--content", content, "--site-dir", site, "--as-of", "2025-08-10")
    assert result.returncode == 0, result.stderr
    project, fb = loaded(content)
    for name in ("facts.json", "facts.schema.json", "claims.csv", "events.csv",
                 "deadlines.csv", "regions.geojson", "README.txt"):  # fmt: skip
        assert (site / "data" / name).is_file(), name
    facts = json.loads((site / "data" / "facts.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "data" / "facts.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(facts)
    assert len(_csv_rows((site / "data" / "claims.csv").read_bytes())) == len(fb.claims)
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    # The real content has more facts than the feed carries: the newest only.
    records = [*fb.claims.values(), *fb.events.values()]
    assert feed.bozo == 0 and len(records) > FEED_ENTRIES == len(feed.entries)
    left_out = {r.id for r in records} - {e.id.rsplit(":", 1)[1] for e in feed.entries}
    oldest_kept = min(e.updated[:10] for e in feed.entries)
    as_of = dt.date(2025, 8, 10)
    assert all(str(changed(r, as_of)) <= oldest_kept for r in records if r.id in left_out)
    cal = icalendar.Calendar.from_ical((site / "deadlines.ics").read_bytes())
    summits = [e for e in fb.events.values() if e.kind.value == "summit"]
    assert len(cal.walk("VEVENT")) == len(fb.deadlines) + len(summits)
    page = (site / "contributing" / "index.html").read_text(encoding="utf-8")
    assert 'id="error-messages-and-what-to-do"' in page
    assert "<script>alert" not in page
    methodology = (site / "methodology" / "index.html").read_text(encoding="utf-8")
    for href in re.findall(
        r'href="(\.\./(?:data/[^"]+|feed\.xml|deadlines\.ics|contributing/))"', methodology
    ):
        target = (site / "methodology" / href).resolve()
        assert target.exists() or (target / "index.html").exists(), href


def test_writing_the_docs_removes_what_is_no_longer_made_and_the_folders_it_empties(
    tmp_path: Path,
) -> None:
    """A region no claim names any more loses its page, and its folder with it."""
    from generator.build.generate import write_docs

    docs = tmp_path / "docs"
    made = {"index.md": b"home", "regions/a/index.md": b"a", "regions/b/index.md": b"b"}
    first = write_docs(docs, made)
    assert sorted(first.written) == sorted(made) and first.removed == []
    (docs / "regions/b/notes").mkdir()  # an empty folder inside one no longer made
    again = write_docs(docs, {"index.md": b"home", "regions/a/index.md": b"a2"})
    assert again.written == ["regions/a/index.md"] and again.unchanged == 1
    assert again.removed == ["regions/b/index.md"]
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")) == [
        "index.md", "regions", "regions/a", "regions/a/index.md",
    ]  # fmt: skip


def test_the_facts_schema_is_kept_only_for_the_code_that_made_it(tmp_path: Path) -> None:
    """facts.schema.json is kept beside the open data's rows, for the same code only."""
    from generator.content.files import write_kept
    from generator.outputs.opendata import _SCHEMA_KEPT

    project, fb = rich_project(tmp_path / "p")
    kept, schema = tmp_path / "rows", "data/facts.schema.json"
    fresh = open_data_files(fb, project, AS_OF, SITE_URL, None, kept, {}, b"one")[schema]
    assert json.loads(fresh)["description"].startswith("data/facts.json of Who Claims What")
    write_kept(kept / _SCHEMA_KEPT, f"facts-schema {b'one'.hex()}", b"kept")
    assert open_data_files(fb, project, AS_OF, SITE_URL, None, kept, {}, b"one")[schema] == b"kept"
    assert open_data_files(fb, project, AS_OF, SITE_URL, None, kept, {}, b"two")[schema] == fresh
