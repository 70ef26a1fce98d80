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
    """One charge; its errors name it ("Charge 2 — class: choose the class.")."""

    class Meta:
        model = Charge
        fields = ["statute", "description", "charge_class", "is_trafficking"]
        labels = {"charge_class": "Class", "is_trafficking": "Trafficking charge"}

    def __init__(self, *args, number: int | None = None, **kwargs):
        self.number = number
        super().__init__(*args, **kwargs)
        self.fields["statute"].help_text = "For example RSMo 566.209."
        self.fields["charge_class"].choices = [("", "- Choose -")] + list(self.fields["charge_class"].choices)[1:]
        # A charge block may stay empty; once started, it needs all three (checked in clean).
        for name in self.NEEDED:
            self.fields[name].required = False
        self._style_fields()

    NEEDED = {
        "statute": "give the statute",
        "description": "describe the charge",
        "charge_class": "choose the class",
    }

    def named(self, field: str, message: str) -> str:
        """ "Charge 2 — class: choose the class." """
        label = str(self.fields[field].label).lower() if field in self.fields else ""
        text = f"{label}: {message}" if label else message
        return f"Charge {self.number} — {text}." if self.number else f"{text[0].upper()}{text[1:]}."

    def clean(self):
        data = super().clean()
        if any(data.get(name) for name in self.NEEDED) or data.get("is_trafficking"):
            for name, message in self.NEEDED.items():
                if not data.get(name):
                    self.add_error(name, self.named(name, message))
        return data

    def add_error(self, field, error):
        # Field limits (a statute too long, a class not on the list) name the charge too.
        if self.number and field in self.fields and isinstance(error, (str, forms.ValidationError)):
            messages = error.messages if isinstance(error, forms.ValidationError) else [error]
            if not any(str(m).startswith(f"Charge {self.number} ") for m in messages):
                error = [self.named(field, str(m).rstrip(".")[:1].lower() + str(m).rstrip(".")[1:]) for m in messages]
        super().add_error(field, error)


MAX_CHARGES = 50


class BaseChargeFormSet(forms.BaseInlineFormSet):
    """Any number of charges (up to MAX_CHARGES): "Add another charge" adds a block,
    "Remove this charge" takes one out; each block's errors name it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "charges")
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["number"] = None if index is None else index + 1
        return kwargs

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this charge"
            form.fields["DELETE"].widget.attrs.update({"class": "usa-checkbox__input", "data-charge-remove": ""})

    def kept(self):
        """(charge, delete?) for every block filled in, in order."""
        rows = []
        for charge_form in self.forms:
            delete = self.can_delete and self._should_delete_form(charge_form)
            if charge_form.instance.pk is None and (delete or not charge_form.has_changed()):
                continue  # an empty or dropped new block
            rows.append((charge_form.save(commit=False) if not delete else charge_form.instance, delete))
        return rows

    def with_one_more(self):
        """The same blocks and one empty more ("Add another charge" without scripts)."""
        data = self.data.copy()
        total = f"{self.prefix}-TOTAL_FORMS"
        data[total] = str(min(int(data.get(total) or 0) + 1, MAX_CHARGES))
        return type(self)(data, instance=self.instance)


def _charge_formset(extra: int):
    return forms.inlineformset_factory(
        Detention,
        Charge,
        form=ChargeForm,
        formset=BaseChargeFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_CHARGES,
        validate_max=True,
    )


# A new detention starts with one empty charge; an edit shows the charges it has.
ChargeFormSet = _charge_formset(extra=1)
ChargeEditFormSet = _charge_formset(extra=0)
