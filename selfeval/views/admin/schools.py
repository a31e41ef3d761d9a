"""Schools: find, look at (directory data, team, assessments, history), correct, add one by hand, import the directory."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...directory import DirectoryFileError
from ...forms.admin_schools import DirectoryImportForm, NewSchoolForm, SchoolForm, SchoolSearchForm
from ...permissions import can_administer
from ...reference import SCHULFORMEN, kreis, kreis_name, rechtsform_label
from ...services import assessments, audit
from ...services.accounts import team_accounts
from ...services.errors import InvalidInput, NotFound
from ...services.rounds import all_rounds
from ...services.school_import import ImportConflict
from ...services.school_import import import_directory as import_directory_service
from ...services.schools import TRAEGER_FIELDS, get_school, search_schools, update_school
from ...services.schools import add_school as add_school_service
from ...unit_of_work import attempt
from ..audit_display import round_indicator_titles, withheld_changes
from . import blueprint

PER_PAGE = 50
#: The directory file is about 2 MB; the app-wide limit (MAX_CONTENT_LENGTH) is 1 MB.
IMPORT_LIMIT = 20 * 1024 * 1024
HISTORY_LENGTH = 20


@blueprint.get("/schulen")
def schools():
    form = SchoolSearchForm(formdata=request.args)
    form.validate()
    suche = "" if form.suche.errors else (form.suche.data or "").strip()
    kreis_key = "" if form.kreis.errors else form.kreis.data or ""
    schulform = "" if form.schulform.errors else form.schulform.data or ""
    page = search_schools(suche, kreis_key, schulform, request.args.get("seite", 1, type=int), PER_PAGE)
    filtered = bool(suche or kreis_key or schulform)
    return render_template(
        "admin/schools.html",
        form=form,
        page=page,
        per_page=PER_PAGE,
        filtered=filtered,
        page_url=_page_url,
        kreis_name=kreis_name,
    )


def _page_url(number: int) -> str:
    query = {key: request.args.get(key) for key in ("suche", "kreis", "schulform") if request.args.get(key)}
    return url_for("admin.schools", **query, seite=number)


@blueprint.get("/schulen/<schulnummer>")
def school(schulnummer: str):
    found = _school_or_404(schulnummer)
    rounds = list(reversed(all_rounds()))
    history = audit.browse(audit.AuditFilter(schulnummer=found.schulnummer), 1, HISTORY_LENGTH)
    return render_template(
        "admin/school.html",
        school=found,
        kreis=kreis(found.kreis),
        members=team_accounts(found),
        has_leadership=assessments.has_leadership_member(found),
        states=[(r, assessments.load_state(found, r)) for r in rounds],
        history=history,
        indicator_titles=round_indicator_titles(history.items),
        withheld=withheld_changes(current_user, history.items),
        known_schulformen=SCHULFORMEN,
        rechtsform=rechtsform_label(found.rechtsform),
    )


@blueprint.route("/schulen/<schulnummer>/bearbeiten", methods=["GET", "POST"])
def edit_school(schulnummer: str):
    found = _school_or_404(schulnummer)
    form = SchoolForm(obj=found, current_schulform=found.schulform)
    if form.validate_on_submit():
        with attempt(InvalidInput) as failed:
            changed = update_school(found, actor=current_user, **_school_values(form))
        if isinstance(failed.error, InvalidInput):
            _attach(form, failed.error)
        else:
            flash("Die Änderungen sind gespeichert." if changed else "Es gab nichts zu ändern.", "success" if changed else "info")
            return redirect(url_for("admin.school", schulnummer=found.schulnummer))
    return render_template("admin/school_form.html", form=form, school=found)


@blueprint.route("/schulen/neu", methods=["GET", "POST"])
def add_school():
    form = NewSchoolForm()
    if form.validate_on_submit():
        with attempt(InvalidInput) as failed:
            created = add_school_service(form.schulnummer.data, actor=current_user, **_school_values(form))
        if isinstance(failed.error, InvalidInput):
            _attach(form, failed.error)
        else:
            flash(f"Die Schule {created.name} ({created.schulnummer}) ist angelegt.", "success")
            return redirect(url_for("admin.school", schulnummer=created.schulnummer))
    return render_template("admin/school_form.html", form=form, school=None)


def _school_values(form: SchoolForm) -> dict[str, str]:
    return {
        "name": form.name.data,
        "schulform": form.schulform.data,
        "kreis_key": form.kreis.data,
        "ort": form.ort.data or "",
        **{name: form[name].data or "" for name in TRAEGER_FIELDS},
    }


def _attach(form, exc: InvalidInput) -> None:
    """The service's messages on the fields of the same name (anything else on the name field)."""
    for field_name, message in exc.problems.items():
        target = form[field_name] if field_name in form else form.name  # noqa: SIM401 - a form has no get()
        target.errors = [*target.errors, message]


def _school_or_404(schulnummer: str):
    try:
        return get_school(schulnummer)
    except NotFound:
        abort(404)


@blueprint.url_value_preprocessor
def allow_directory_upload(endpoint: str | None, values: dict | None) -> None:
    """A larger request body for the import, for administrators only.

    URL value preprocessors run before every before_request function, so the limit is in place
    before CSRFProtect (an app-wide before_request) reads the form.
    """
    if endpoint == "admin.import_directory" and current_user.is_authenticated and can_administer(current_user):
        request.max_content_length = IMPORT_LIMIT


@blueprint.route("/import", methods=["GET", "POST"])
def import_directory():
    """The result is shown in answer to the POST and stored nowhere: sending the file again changes nothing more."""
    form = DirectoryImportForm()
    if form.validate_on_submit():
        filename = (form.file.data.filename or "").strip() or "schuldaten.csv"
        with attempt(DirectoryFileError, ImportConflict) as failed:
            result = import_directory_service(form.file.data.read(), actor=current_user, filename=filename)
        if failed.error is not None:
            form.file.errors.append(str(failed.error))
        else:
            return render_template(
                "admin/import_result.html",
                result=result,
                filename=filename,
                rejected=sorted(result.rejected, key=lambda problem: problem.line),
                warnings=sorted(result.warnings, key=lambda problem: problem.line),
            )
    return render_template("admin/import.html", form=form, limit_mb=IMPORT_LIMIT // (1024 * 1024))
