"""Detentions and the charges that follow (law enforcement, prosecutors, coordinator)."""

from __future__ import annotations

from django import forms

from cases.models import Charge, Detention

from .base import DateTimeInput, ScopedModelForm, UswdsFormMixin


class DetentionForm(ScopedModelForm):
    class Meta:
        model = Detention
        fields = ["detained_at", "outcome", "pending", "notes"]
        labels = {"detained_at": "Detained at", "pending": "Case still pending with the prosecutor"}
        help_texts = {"pending": ""}
        widgets = {"detained_at": DateTimeInput, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["outcome"].choices = [("", "- Choose the outcome -")] + list(self.fields["outcome"].choices)[1:]


class ChargeForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = Charge
        fields = ["statute", "description", "charge_class", "is_trafficking"]
        labels = {"charge_class": "Class", "is_trafficking": "Trafficking charge"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statute"].help_text = "For example RSMo 566.209."
        self.fields["charge_class"].choices = [("", "- Choose -")] + list(self.fields["charge_class"].choices)[1:]
        # A charge block may stay empty; once started, it needs all three (checked in clean).
        for name in self.NEEDED:
            self.fields[name].required = False
        self._style_fields()

    NEEDED = {
        "statute": "Give the statute.",
        "description": "Describe the charge.",
        "charge_class": "Choose the class.",
    }

    def clean(self):
        data = super().clean()
        if any(data.get(name) for name in self.NEEDED) or data.get("is_trafficking"):
            for name, message in self.NEEDED.items():
                if not data.get(name):
                    self.add_error(name, message)
        return data


class BaseChargeFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "charges")
        super().__init__(*args, **kwargs)


ChargeFormSet = forms.inlineformset_factory(
    Detention,
    Charge,
    form=ChargeForm,
    formset=BaseChargeFormSet,
    extra=2,
    can_delete=False,
    max_num=20,
)
