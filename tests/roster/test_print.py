"""The printed Aushang (read back with pypdf, rendered with pdftoppm) and the plain texts."""

from __future__ import annotations

import io
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader

from backend.extensions import db
from tests import factories
from tests.roster.test_coverage import at, city


@pytest.fixture
def plan(app_context):
    """Halberstadt: a nearest glazier of another guild (hours only), a farther one on duty."""
    city()
    nearest = factories.business(
        trades=("glaser",), name="Glaserei Groß & Söhne", lat=51.8960, lon=11.0470,
        opening_hours="Mo-Fr 08:00-17:00", phone="+4939411111111", commit=False,
    )  # fmt: skip
    nearest.guild = factories.guild("bode-glas", "Glaser-Innung Bode")
    second = factories.business(
        trades=("glaser",), name="Glas Zweite", lat=51.90, lon=11.06, phone="+4939412222222",
        opening_hours="Mo-Fr 08:00-17:00", commit=False,
    )  # fmt: skip
    on_duty = factories.business(
        trades=("glaser",), name="Glaserei Dienst", lat=51.95, lon=11.10, opening_hours=None,
        phone="+4939413333333", emergency_phone="+4915112345678", commit=False,
    )  # fmt: skip
    factories.business(trades=("glaser",), name="Glas Fern", lat=51.93, lon=11.09,
                       opening_hours="Mo-Fr 08:00-17:00", commit=False)  # fmt: skip
    db.session.commit()
    factories.shift(on_duty, "glaser", at("2026-12-11 18:00"), at("2026-12-14 07:00"))
    return nearest, second, on_duty


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for font in fonts.values():  # every font embedded (TrueType subset), none left to chance
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]
    return "\n".join(page.extract_text() for page in reader.pages)


def test_aushang_names_the_nearest_and_everyone_on_duty(client, plan, tmp_path):
    response = client.get("/print/halberstadt/notdienst.pdf?from=2026-12-11&days=3")
    text = _pdf_text(response)
    assert "Handwerker-Notdienst Halberstadt" in text
    assert "Freitag, 11. Dezember 2026 bis Sonntag, 13. Dezember 2026" in text
    assert "Notruf 112" in text and "Polizei 110" in text
    assert "Gasgeruch: Verlassen Sie sofort das Gebäude" in text
    assert "Kühlung / Klima ausgefallen" in text  # umlauts survive the round trip
    friday = text[text.index("Freitag, 11. Dezember 2026\n") : text.index("Samstag, 12.")]
    glass = friday[friday.index("Glasbruch") : friday.index("Autopanne")].splitlines()
    # Friday: the nearest (of another guild) and the second nearest, then the one on duty;
    # the third nearest is open too but neither among the two nearest nor on duty.
    assert [line.split(" 0")[0].strip() for line in glass[1:]] == [
        "Glaserei Groß & Söhne", "Glas Zweite", "Glaserei Dienst",
    ]  # fmt: skip
    assert "erreichbar 08:00–17:00" in glass[1]
    assert "01511 2345678" in glass[3] and "Notdienst 18:00–24:00" in glass[3]
    saturday = text[text.index("Samstag, 12. Dezember 2026") :]
    glass = saturday[saturday.index("Glasbruch") : saturday.index("Autopanne")].splitlines()
    assert len(glass) == 2 and "Glaserei Dienst" in glass[1]  # all closed but the duty
    assert "Notdienst 00:00–24:00" in glass[1]
    assert "?stadt=halberstadt" in text
    # The rendered page is A4 and has print on it where the title is.
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", "-", str(tmp_path / "page")],
        input=response.data, check=True,
    )  # fmt: skip
    (image_path,) = tmp_path.glob("page*.png")
    image = Image.open(image_path).convert("L")
    assert abs(image.height / image.width - 297 / 210) < 0.01
    title = image.crop((0, 0, image.width // 2, image.height // 12))
    assert title.getextrema()[0] < 64


def test_a_day_without_anybody_says_so(client, plan):
    text = _pdf_text(client.get("/print/halberstadt/notdienst.pdf?from=2026-12-12&days=1"))
    strom = text[text.index("Stromausfall") :]
    assert "Kein Betrieb erreichbar – bei Gefahr Notruf 112." in strom.splitlines()[1]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("from=12.12.2026", "from"), ("from=2026-02-30", "from"), ("days=0", "days"),
     ("days=15", "days"), ("days=sieben", "days")],
)  # fmt: skip
def test_bad_parameters_are_problems(client, plan, query, parameter):
    response = client.get(f"/print/halberstadt/notdienst.pdf?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["parameter"] == parameter


def test_unknown_city_is_a_problem(client, plan):
    response = client.get("/print/atlantis/wochenende.txt")
    assert response.status_code == 404
    assert response.json["detail"] == "No partner city 'atlantis'."


def test_weekend_text_for_the_paper(client, plan):
    response = client.get("/print/halberstadt/wochenende.txt?from=2026-12-09")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert text.startswith(
        "Handwerker-Notdienst Halberstadt am Wochenende\n"
        "Freitag, 11. Dezember 2026, 18:00 Uhr, bis Montag, 14. Dezember 2026, 7:00 Uhr\n"
    )
    glass = text[text.index("Glasbruch:") :].split("\n\n")[0].splitlines()
    # The nearest two are closed all weekend: only the business on duty is named.
    assert glass[1:] == [
        "  Glaserei Dienst, Tel. 01511 2345678 (7,0 km), Notdienst Fr 18:00 – Mo 07:00",
    ]


def test_planning_rules_are_published_with_the_scores(client, plan):
    response = client.get("/print/halberstadt/planungsregeln.txt?from=2026-12-07")
    text = response.get_data(as_text=True)
    assert "höchstens 25,0 km entfernt" in text
    assert "Montag, 7. Dezember 2026 bis Sonntag, 3. Januar 2027" in text
    assert "  Stromausfall / Elektrodefekt: 0,0 % (1 Lücken)" in text
    assert "  glaser: 1 Betriebe, 61 h, min/max 61/61 h" in text


def test_weekend_text_from_the_command_line(runner, plan):
    result = runner.invoke(
        args=["roster", "weekend", "--city", "halberstadt", "--from", "2026-12-12"]
    )
    assert result.exit_code == 0, result.output
    assert "Freitag, 11. Dezember 2026, 18:00 Uhr" in result.stdout  # Saturday: this weekend
    assert "Glaserei Dienst, Tel. 01511 2345678" in result.stdout
    result = runner.invoke(args=["roster", "weekend", "--city", "nirgendwo"])
    assert result.exit_code == 2 and "Unknown city 'nirgendwo'" in result.stderr
