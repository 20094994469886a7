from django import forms
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.enums import EngagementFormat, Language, LanguageLevel, SkillLevel
from portal.forms import ProvinceSelect
from portal.inputs import InputForm
from portal.validators import LATEST_YEAR, no_control_characters
from regions.models import Commune, Province, Region
from taxonomy.forms import SkillPickerForm
from taxonomy.models import Sector

from .enums import ConsentPurpose
from .models import CV_MAX_MB, ExpertProfile, cv_pdf
from .password_reset import password_reset_request
from .services import ProfileAboutInput, ProfileOfferInput, account_is_verified

User = get_user_model()

CV_MAX_BYTES = CV_MAX_MB * 1024 * 1024
MIN_AGE = 16


# --- Accounts --------------------------------------------------------------------------


class SignUpForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, validators=[no_control_characters])
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_email(self):
        # No "already registered" error here: that would tell anyone who has an account
        # (services.account_register e-mails the owner instead).
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EmailAuthenticationForm(AuthenticationForm):
    """Django's sign-in form (axes counts its failures) that also refuses unverified accounts."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "unverified": _(
            "Please confirm your e-mail address first: follow the link we sent you. You can ask for a new link below."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django sets the field's max_length after building it, so it is not enforced: an address
        # of 300 characters reached authenticate() and axes' log row (255 characters), a 500.
        username = self.fields["username"]
        username.validators = [*username.validators, MaxLengthValidator(username.max_length)]

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username is not None and password:
            # axes reads the account from the credentials under the user model's USERNAME_FIELD
            # ("email"); passing it too makes the lock per (account, IP) instead of per IP only.
            self.user_cache = authenticate(self.request, username=username, email=username, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not account_is_verified(user):
            raise ValidationError(self.error_messages["unverified"], code="unverified")


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


class NotifyingPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail is looked up and sent by the worker (diaspora.password_reset),
    so that the answer and its timing do not depend on whether the address has an account."""

    def save(self, **kwargs):  # Django passes the request, domain, templates…: unused here
        password_reset_request(email=self.cleaned_data["email"])


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput)
    confirm = forms.BooleanField(label=_("I understand that my account and all my data will be erased for good."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not correct."), code="wrong_password")
        return password


# --- Profile steps ---------------------------------------------------------------------


class ProfileAboutForm(InputForm, forms.ModelForm):
    input_class = ProfileAboutInput

    class Meta:
        model = ExpertProfile
        fields = ProfileAboutInput.names()
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "display_name": _("How officials will see you in lists. Your e-mail is never shown."),
            "phone": _("Shown to an official only after you accept their contact request."),
            "bio": _("Officials read this text: do not put your e-mail or phone number in it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_region"].queryset = Region.objects.order_by("code")
        self.fields["origin_province"].queryset = Province.objects.select_related("region").order_by("code")
        # The 83 provinces narrowed to the chosen region's, by the script the place forms share.
        self.fields["origin_province"].widget = ProvinceSelect(
            parent=(self.auto_id or "id_%s") % self.add_prefix("origin_region")
        )
        self.fields["origin_province"].widget.choices = self.fields["origin_province"].choices
        # 1,503 communes are too many for a phone: only those of the chosen province are offered.
        province_id = self.data.get(self.add_prefix("origin_province")) or (self.instance.origin_province_id or None)
        try:
            province_id = int(province_id) if province_id else None
        except (TypeError, ValueError):
            province_id = None
        self.fields["origin_commune"].queryset = (
            Commune.objects.filter(province_id=province_id).order_by("code") if province_id else Commune.objects.none()
        )
        self.fields["origin_province"].widget.attrs["data-communes-url"] = reverse("diaspora:commune_options")
        self.fields["birth_year"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"})

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and year > timezone.now().year - MIN_AGE:
            raise ValidationError(
                _("The year of birth cannot be in the future, and members must be at least 16."), code="future"
            )
        return year

    def clean(self):
        cleaned = super().clean()
        region, province, commune = (
            cleaned.get("origin_region"),
            cleaned.get("origin_province"),
            cleaned.get("origin_commune"),
        )
        if commune and province and commune.province_id != province.pk:
            self.add_error("origin_commune", _("This commune is not in the chosen province."))
        if province and region and province.region_id != region.pk:
            self.add_error("origin_province", _("This province is not in the chosen region."))
        if province and not region:
            cleaned["origin_region"] = province.region
        return cleaned


class SkillRowForm(SkillPickerForm):
    level = forms.TypedChoiceField(
        label=_("Level"), choices=SkillLevel.choices, coerce=int, initial=SkillLevel.INTERMEDIATE
    )
    years = forms.IntegerField(label=_("Years"), min_value=0, max_value=70, initial=0)


class LanguageRowForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=[("", "—"), *Language.choices], required=False)
    level = forms.TypedChoiceField(
        label=_("Level"), choices=LanguageLevel.choices, coerce=int, initial=LanguageLevel.B2
    )


class BaseRowFormSet(forms.BaseFormSet):
    key = ""
    duplicate_message = ""

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            value = form.cleaned_data.get(self.key)
            if not value:
                continue
            value = getattr(value, "pk", value)
            if value in seen:
                raise ValidationError(self.duplicate_message, code="duplicate")
            seen.add(value)


class SkillFormSet(BaseRowFormSet):
    key = "skill_obj"
    duplicate_message = _("The same skill is listed twice.")


class LanguageFormSet(BaseRowFormSet):
    key = "language"
    duplicate_message = _("The same language is listed twice.")


SkillRows = forms.formset_factory(
    SkillRowForm, formset=SkillFormSet, extra=1, max_num=40, validate_max=True, can_delete=True
)
LanguageRows = forms.formset_factory(
    LanguageRowForm, formset=LanguageFormSet, extra=1, max_num=12, validate_max=True, can_delete=True
)


class ProfileSectorsForm(forms.Form):
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ProfileOfferForm(InputForm, forms.ModelForm):
    input_class = ProfileOfferInput

    formats = forms.MultipleChoiceField(
        label=_("What I can offer"),
        choices=EngagementFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    cv_upload = forms.FileField(
        label=_("CV (PDF, at most 5 MB)"),
        required=False,
        validators=[cv_pdf],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    remove_cv = forms.BooleanField(label=_("Remove my CV"), required=False)

    class Meta:
        model = ExpertProfile
        fields = ProfileOfferInput.names()
        widgets = {
            "available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "available_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("available_from"), cleaned.get("available_until")
        if start and end and end < start:
            self.add_error("available_until", _("The end of availability must follow its start."))
        return cleaned


class ExperienceRowForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=200, required=False, validators=[no_control_characters])
    organisation = forms.CharField(
        label=_("Organisation"), max_length=200, required=False, validators=[no_control_characters]
    )
    start_year = forms.IntegerField(label=_("From (year)"), min_value=1940, max_value=LATEST_YEAR, required=False)
    end_year = forms.IntegerField(label=_("To (year)"), min_value=1940, max_value=LATEST_YEAR, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        this_year = timezone.now().year
        if cleaned.get("title") and not cleaned.get("start_year"):
            self.add_error("start_year", _("Give the year you started."))
        for name in ("start_year", "end_year"):
            if cleaned.get(name) and cleaned[name] > this_year:
                self.add_error(name, _("This year is in the future."))
        if cleaned.get("start_year") and cleaned.get("end_year") and cleaned["end_year"] < cleaned["start_year"]:
            self.add_error("end_year", _("The end year must follow the start year."))
        if not cleaned.get("title") and any(cleaned.get(n) for n in ("organisation", "description", "start_year")):
            self.add_error("title", _("Give the job title."))
        return cleaned


class EducationRowForm(forms.Form):
    degree = forms.CharField(label=_("Degree"), max_length=200, required=False, validators=[no_control_characters])
    institution = forms.CharField(
        label=_("Institution"), max_length=200, required=False, validators=[no_control_characters]
    )
    field = forms.CharField(
        label=_("Field of study"), max_length=200, required=False, validators=[no_control_characters]
    )
    year = forms.IntegerField(label=_("Year obtained"), min_value=1940, max_value=LATEST_YEAR, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("year") and cleaned["year"] > timezone.now().year:
            self.add_error("year", _("This year is in the future."))
        if not cleaned.get("degree") and any(cleaned.get(n) for n in ("institution", "field", "year")):
            self.add_error("degree", _("Give the degree."))
        return cleaned


ExperienceRows = forms.formset_factory(ExperienceRowForm, extra=1, max_num=20, validate_max=True, can_delete=True)
EducationRows = forms.formset_factory(EducationRowForm, extra=1, max_num=10, validate_max=True, can_delete=True)


class ConsentForm(forms.Form):
    """One unticked box per purpose (never pre-ticked for a new profile)."""

    def __init__(self, *args, profile: ExpertProfile, **kwargs):
        super().__init__(*args, **kwargs)
        for purpose in ConsentPurpose:
            self.fields[purpose.value] = forms.BooleanField(
                label=purpose.label, required=False, initial=profile.consent(purpose)
            )
