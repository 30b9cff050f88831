"""The case summary: identity, names, the case and its history as the reader sees them, A4 PDF."""

from django.utils.translation import gettext as _

from safepassage.exports.selectors import CaseSummary
from safepassage.lib.pdf import card_pdf


def case_summary_pdf(summary: CaseSummary, *, footer: str) -> bytes:
    sections: list[tuple[str, list[tuple[str, str]]]] = [(_("Identity"), summary.identity)]
    if summary.names:
        sections.append((_("Names"), [("", name) for name in summary.names]))
    sections.append((_("Case"), summary.case))
    history = [(e.on, "\n".join([e.title, *e.lines])) for e in summary.history]
    sections.append((_("History"), history or [("", _("Nothing has happened in this case yet."))]))
    if summary.documents:
        sections.append((_("Documents"), summary.documents))
    if summary.identified:
        subtitle = _(
            "Identified: as you see this case on screen, with names. Keep it under the "
            "data-protection rules of your organisation."
        )
    else:
        subtitle = _(
            "Pseudonymised: no names, numbers, places or free text; dates by month. The steps "
            "and records as you see them on screen."
        )
    return card_pdf(
        title=f"{_('Case summary')} — {summary.reference}",
        subtitle=subtitle,
        sections=sections,
        footer=footer,
    )
