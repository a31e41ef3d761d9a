"""Journey 5: the Medienberatung of the Kreis reads the school's report as a web page, downloads its PDF,
and downloads all reports of the Kreis as a ZIP made in the background."""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader

from .journey_1_admin_setup import ADVISER, DIRECTORY
from .reading import figures, heading, path_of, squeeze
from .steps import log_in, set_password

ADVISER_PASSWORD = "Berichte für das Gespräch mit dem Team"


def adviser_downloads_the_school_report_and_the_zip_of_the_kreis(open_tab, scan, story, focus_audit):
    tab = open_tab()
    page = tab.page
    schulnummer, name, kreis = story.school
    in_kreis = sum(1 for row in DIRECTORY.rows if row[3] == kreis)

    set_password(tab, scan, story.links[ADVISER[0]], ADVISER_PASSWORD)
    log_in(tab, scan, ADVISER[0], ADVISER_PASSWORD, lands_on="/auswertung/")
    scan.page(tab, "Auswertung (Medienberatung)")
    assert figures(page)["Schulen in der Auswahl"] == str(in_kreis)
    overview = page.url

    # The report as an accessible web page.
    page.locator("table.heatmap").get_by_role("link", name=name, exact=True).click()
    page.wait_for_url("**/ergebnis")
    scan.page(tab, "Ergebnis der Schule (Medienberatung)")
    page.get_by_role("link", name="Bericht als barrierefreie Webseite").click()
    page.wait_for_url("**/bericht")
    scan.page(tab, "Bericht als Webseite", shot="05-bericht")
    facts = dict(
        zip(page.locator(".report__facts dt").all_inner_texts(), page.locator(".report__facts dd").all_inner_texts(), strict=True)
    )
    assert (heading(page), facts["Schulnummer"], facts["Erhebungsrunde"]) == (name, schulnummer, "2025/26")

    # The PDF: a real PDF of this school.
    with page.expect_download() as download:
        page.get_by_role("link", name="Bericht als PDF herunterladen").click()
    pdf = download_bytes(download.value)
    assert download.value.suggested_filename.startswith(f"bericht-2025-26-{schulnummer}-")
    assert_report_of_school(pdf, name, schulnummer)

    # All reports of the Kreis as a ZIP: the job page shows its progress, then the download.
    page.goto(overview)
    page.get_by_role("button", name="Alle Berichte (ZIP)").click()
    page.wait_for_url("**/auswertung/berichte/*")
    scan.page(tab, "Berichte als ZIP, Auftrag")
    assert heading(page) == "Alle Berichte der Runde 2025/26"
    page.locator("#job-download").wait_for(state="visible")
    scan.page(tab, "Berichte als ZIP, fertig")
    assert squeeze(page.locator("#job-status").inner_text()) == "Fertig: 1 von 1 Berichten erstellt."
    with page.expect_download() as download:
        page.get_by_role("link", name="ZIP-Datei herunterladen").click()
    assert download.value.suggested_filename == "berichte-2025-26.zip"
    with zipfile.ZipFile(io.BytesIO(download_bytes(download.value))) as archive:
        names = archive.namelist()
        assert len(names) == 1 and names[0].startswith(f"bericht-2025-26-{schulnummer}-") and names[0].endswith(".pdf")
        assert_report_of_school(archive.read(names[0]), name, schulnummer)
    assert path_of(page).startswith("/auswertung/berichte/")


def download_bytes(download) -> bytes:
    with open(download.path(), "rb") as file:
        return file.read()


def assert_report_of_school(pdf: bytes, name: str, schulnummer: str) -> None:
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    first_page = squeeze(reader.pages[0].extract_text())
    assert name in first_page and f"Schulnummer {schulnummer}" in first_page, first_page[:300]
    assert len(reader.pages) >= 2
