from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import EngagementStatus, MatchRunKind, MatchRunStatus, MatchStatus, Rating, SetAsideReason
from .querysets import InvestmentMatchQuerySet, MatchQuerySet


class MatchRun(models.Model):
    """One execution of the engine: who asked, when, how much, how long, how far along.

    A run is claimed by a conditional UPDATE (matching.services.match_run_claim), so a task
    delivered twice runs it once; its results replace the previous ones in one transaction.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=MatchRunKind.choices, default=MatchRunKind.FULL)
    status = models.CharField(
        _("status"), max_length=16, choices=MatchRunStatus.choices, default=MatchRunStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    experts_count = models.PositiveIntegerField(_("experts"), default=0)
    needs_count = models.PositiveIntegerField(_("needs"), default=0)
    matches_count = models.PositiveIntegerField(_("suggestions"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # A full run is scored in shards (matching.services.sharded): how many, how many are done.
    # A database default too: hosts still on the previous release insert runs during a rolling
    # deploy (docs/operations.md, "Several hosts").
    shards_total = models.PositiveSmallIntegerField(_("shards"), default=0, db_default=0)
    shards_done = models.PositiveSmallIntegerField(_("shards done"), default=0, db_default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        indexes = [models.Index(fields=["kind", "status"], name="matchrun_kind_status_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"


class MatchShard(models.Model):
    """A slice of the open needs of one attempt of a full run, scored by one task on any worker.

    Planned by the run's coordinator (sized by expected candidates, not by count), done once its
    rows are staged; the run's results are swapped in only when every shard of the attempt is
    done. `hostname` is the worker that completed it, `deliveries` how many times a task started
    it (a dead or failed attempt is run again elsewhere)."""

    run = models.ForeignKey(MatchRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="shards")
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    index = models.PositiveSmallIntegerField(_("index"))
    need_ids = models.JSONField(_("needs"), default=list)
    expected_candidates = models.BigIntegerField(_("expected candidates"), default=0)
    deliveries = models.PositiveSmallIntegerField(_("deliveries"), default=0)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    hostname = models.CharField(_("worker"), max_length=200, blank=True)
    rows_count = models.PositiveIntegerField(_("rows"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)

    class Meta:
        ordering = ["run", "attempt", "index"]
        verbose_name = _("match run shard")
        verbose_name_plural = _("match run shards")
        constraints = [models.UniqueConstraint(fields=["run", "attempt", "index"], name="matchshard_unique_index")]

    def __str__(self):
        return f"#{self.run_id}.{self.attempt}.{self.index}"


class StagedMatch(models.Model):
    """A shard's results between its scoring and the run's swap (deleted with the shard, and
    after the swap). The same ids, scores and explanations a Match holds, nothing more; plain ids,
    not foreign keys: an expert erased meanwhile is skipped by the swap, which joins on the
    profiles that still exist."""

    shard = models.ForeignKey(MatchShard, on_delete=models.CASCADE, related_name="+")
    need_id = models.BigIntegerField()
    profile_id = models.BigIntegerField()
    score = models.FloatField()
    rank = models.PositiveSmallIntegerField()
    parts = models.TextField()  # the explanation as JSON text, parsed once, by the swap

    def __str__(self):
        return f"{self.need_id}/{self.profile_id}"


class Match(models.Model):
    """A candidate for a need: the engine's score and its explanation, and the contact workflow.

    `parts` is the explanation (docs/matching.md): the score of each part, the required
    skills matched exactly or partially, the languages and the regional tie; ids only, so
    it is shown in the reader's language. `rank` is null once the candidate left the top K
    but the workflow keeps the row (shortlisted, invited…).
    """

    need = models.ForeignKey("regions.Need", verbose_name=_("need"), on_delete=models.CASCADE, related_name="matches")
    profile = models.ForeignKey(
        "diaspora.ExpertProfile", verbose_name=_("expert"), on_delete=models.CASCADE, related_name="matches"
    )
    score = models.FloatField(_("score"), default=0.0)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    parts = models.JSONField(_("explanation"), default=dict, blank=True)
    run = models.ForeignKey(
        MatchRun, verbose_name=_("run"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=MatchStatus.choices, default=MatchStatus.SUGGESTED)
    interested = models.BooleanField(_("expressed interest"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invitation_message = models.TextField(_("invitation message"), blank=True, max_length=2000)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # Shown to the expert on their invitation page and in the e-mail: an invitation that
    # vanishes without a word is the silent dead end the workflow tries to avoid. The database
    # default keeps raw bulk INSERTs that predate the column (the ranking COPY, the benches) valid.
    withdrawal_reason = models.TextField(
        _("reason for the withdrawal"), blank=True, max_length=2000, default="", db_default=""
    )
    # Why the expert declined (optional, one of the set-aside reasons); told to the owner.
    decline_reason = models.CharField(
        _("reason for declining"), max_length=16, choices=SetAsideReason.choices, blank=True, default="", db_default=""
    )
    # When the expert first saw this suggestion on their home page: the "viewed" step of the
    # funnel (dashboards). Kept by re-matches (the upsert does not touch it).
    seen_at = models.DateTimeField(_("seen by the expert"), null=True, blank=True, editable=False)
    # Each reminder goes out once: the conditional UPDATE that fills the column is the claim.
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("escalation sent"), null=True, blank=True, editable=False)
    closure_notified_at = models.DateTimeField(_("told the need closed"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["need_id", "rank", "-score", "pk"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [models.UniqueConstraint(fields=["need", "profile"], name="match_need_profile_unique")]
        indexes = [
            models.Index(fields=["need", "rank"], name="match_need_rank_idx"),
            models.Index(fields=["profile", "status"], name="match_profile_status_idx"),
            models.Index(fields=["status", "invited_at"], name="match_status_invited_idx"),
        ]

    def __str__(self):
        return f"{self.need_id} ← {self.profile_id} ({self.score:.2f})"


class InvestmentMatch(models.Model):
    """A diaspora investment project suggested for a regional opportunity, and vice versa.

    Written only by matching.services.investment_rematch (the whole set swapped in one
    transaction). `opportunity_rank` orders the projects shown to the region's officials,
    `project_rank` the opportunities shown to the investor; null when the pair is only in the
    other side's top K. `parts` is the explanation (codes and numbers, sentences at display).
    """

    opportunity = models.ForeignKey(
        "projects.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="investment_matches",
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="investment_matches"
    )
    score = models.FloatField(_("score"), default=0.0)
    opportunity_rank = models.PositiveSmallIntegerField(_("rank for the opportunity"), null=True, blank=True)
    project_rank = models.PositiveSmallIntegerField(_("rank for the project"), null=True, blank=True)
    parts = models.JSONField(_("explanation"), default=dict, blank=True)
    run = models.ForeignKey(
        MatchRun, verbose_name=_("run"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InvestmentMatchQuerySet.as_manager()

    class Meta:
        ordering = ["opportunity_id", "opportunity_rank", "-score", "pk"]
        verbose_name = _("investment suggestion")
        verbose_name_plural = _("investment suggestions")
        constraints = [models.UniqueConstraint(fields=["opportunity", "project"], name="investmentmatch_pair_unique")]
        indexes = [
            models.Index(fields=["opportunity", "opportunity_rank"], name="invmatch_opportunity_rank_idx"),
            models.Index(fields=["project", "project_rank"], name="invmatch_project_rank_idx"),
        ]

    def __str__(self):
        return f"{self.opportunity_id} ↔ {self.project_id} ({self.score:.2f})"


class InvestmentSuggestionNotice(models.Model):
    """That an investor was told of an opportunity suggested for one of their projects.

    Kept apart from InvestmentMatch, whose rows come and go with each re-match: a pair that
    drops out of the suggestions and comes back is not announced twice. Deleted with the
    project (and so with the investor's account).
    """

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    opportunity = models.ForeignKey(
        "projects.Opportunity", verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="+"
    )
    notified_at = models.DateTimeField(_("notified at"), default=timezone.now)

    class Meta:
        verbose_name = _("investment suggestion notice")
        verbose_name_plural = _("investment suggestion notices")
        constraints = [models.UniqueConstraint(fields=["project", "opportunity"], name="investmentnotice_pair_unique")]

    def __str__(self):
        return f"{self.project_id} ← {self.opportunity_id}"


class Engagement(models.Model):
    """What became of an accepted invitation: started, completed or cancelled, with a note
    on the deliverable and a rating from each side."""

    match = models.OneToOneField(Match, verbose_name=_("match"), on_delete=models.CASCADE, related_name="engagement")
    status = models.CharField(
        _("status"), max_length=16, choices=EngagementStatus.choices, default=EngagementStatus.STARTED
    )
    deliverable_note = models.TextField(_("deliverable"), blank=True, max_length=4000)
    # Written by the need's owner for the expert: shown on the expert's impact page.
    thanks_note = models.TextField(_("the region's thanks"), blank=True, max_length=2000, default="", db_default="")
    owner_rating = models.PositiveSmallIntegerField(_("owner's rating"), choices=Rating.choices, null=True, blank=True)
    expert_rating = models.PositiveSmallIntegerField(
        _("expert's rating"), choices=Rating.choices, null=True, blank=True
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")

    def __str__(self):
        return f"{self.match} – {self.get_status_display()}"


class DigestSubscription(models.Model):
    """A member who asked for the weekly e-mail of new open needs that match them (opt-in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="matching_digest"
    )
    created_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly digest subscription")
        verbose_name_plural = _("weekly digest subscriptions")

    def __str__(self):
        return str(self.user)


class NeedSetAside(models.Model):
    """A member said "not for me" to a need suggested to them (matching.member_services):
    the need leaves their "needs for you"; the reason is counted, never attributed, for the
    need's officials. Deleting the row undoes it."""

    need = models.ForeignKey("regions.Need", verbose_name=_("need"), on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(
        "diaspora.ExpertProfile", verbose_name=_("expert"), on_delete=models.CASCADE, related_name="needs_set_aside"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=SetAsideReason.choices, blank=True)
    created_at = models.DateTimeField(_("set aside at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("need set aside")
        verbose_name_plural = _("needs set aside")
        constraints = [models.UniqueConstraint(fields=["need", "profile"], name="needsetaside_unique")]

    def __str__(self):
        return f"{self.profile_id} ✕ {self.need_id}"
