"""This app's entries in the personal-data registry (portal/privacy.py).

A project is the investor's: erasing the investor deletes it (history, notes, documents and
their files with it), so the project's history, notes, documents and partners are exported
to the investor too. Erasing an official or a partner user keeps the projects they worked
on and only removes their name from them (officer, history steps, notes, uploads).
"""

from django.db import transaction

from portal.privacy import register_personal_data

from .models import (
    Opportunity,
    OpportunityDocument,
    OpportunityInterest,
    Project,
    ProjectDocument,
    ProjectNote,
    ProjectPartner,
    ProjectTransition,
)


def _erase_projects(queryset, user) -> int:
    person_id = user.pk
    owned = Project.objects.filter(investor_id=person_id)
    files = [
        (document.file.storage, document.file.name)
        for document in ProjectDocument.objects.filter(project__in=owned).only("file")
        if document.file
    ]
    deleted = owned.delete()[1].get(Project._meta.label, 0)
    unassigned = Project.objects.filter(assigned_officer_id=person_id).update(assigned_officer=None)

    def remove_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return deleted + unassigned


def _anonymise_history(field: str):
    """History rows have no update path (AppendOnlyQuerySet); erasure is the one sanctioned
    change: it removes the person's name and keeps the step."""

    def anonymise(queryset, user) -> int:
        # Only the person's own steps: the rest of the queryset (their projects' history,
        # reached through `project__investor`) is deleted with the projects.
        model = queryset.model
        ids = list(queryset.values_list("pk", flat=True))
        return model._base_manager.filter(pk__in=ids, **{field: user}).update(**{field: None})

    return anonymise


def register() -> None:
    register_personal_data(OpportunityInterest, user_path="investor", erase="delete", order=10)
    register_personal_data(
        ProjectTransition,
        user_path=("by", "project__investor"),
        erase="anonymise",
        anonymise=_anonymise_history("by"),
        order=20,
    )
    register_personal_data(
        ProjectNote,
        user_path=("author", "project__investor"),
        erase="anonymise",
        anonymise=_anonymise_history("author"),
        order=20,
    )
    register_personal_data(
        ProjectDocument,
        user_path=("uploaded_by", "project__investor"),
        erase="anonymise",
        anonymise={"uploaded_by": None},
        order=20,
    )
    register_personal_data(
        ProjectPartner,
        user_path=("proposed_by", "project__investor"),
        erase="anonymise",
        anonymise={"proposed_by": None},
        order=20,
    )
    register_personal_data(
        Project,
        user_path=("investor", "assigned_officer"),
        erase="anonymise",
        anonymise=_erase_projects,
        order=30,
    )
    register_personal_data(
        Opportunity, user_path="created_by", erase="anonymise", anonymise={"created_by": None}, order=20
    )
    register_personal_data(
        OpportunityDocument, user_path="uploaded_by", erase="anonymise", anonymise={"uploaded_by": None}, order=20
    )
