from lxml import etree

from odoo.tests import tagged

from ..models.crm_transition_rule import TransitionBlockedError
from .common import TransitionRuleCommon


@tagged("post_install", "-at_install")
class TestPolishSalesperson(TransitionRuleCommon):
    """A salesperson who works in Polish reads the addon's refusals and dialogs in Polish, as the rest of
    Odoo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        # What installing the language does for the addon's module: its i18n/pl.po is loaded.
        cls.env["ir.module.module"]._load_module_terms(["lead_qualification_plus"], ["pl_PL"])
        cls.user_salesman.lang = "pl_PL"
        # The context the web client sends for this user: the language comes from the user's preferences.
        salesman = cls.user_salesman.with_user(cls.user_salesman)
        cls.env_pl = salesman.env(context=salesman.context_get())

    def test_refused_transition_in_polish(self):
        self._create_rule(
            [{"name": "Job position known", "kind": "field", "field_id": self.field_function.id}]
        )
        lead = self._create_leads(function=False).with_env(self.env_pl)
        with self.assertRaises(TransitionBlockedError) as caught:
            lead.write({"stage_id": self.stage_contacted.id})
        message = str(caught.exception)
        self.assertTrue(
            message.startswith("Praca wymagana przez to przejście nie została jeszcze wykonana:\n"), message
        )
        self.assertIn("„Log first call” (do: LQP Contacted) wciąż wymaga:", message)
        self.assertIn(
            "Otwórz rekord i kliknij „Log first call” w jego nagłówku: lista kontrolna pozwoli wykonać "
            "pracę i przenieść rekord. Kierownik sprzedaży może wymusić przeniesienie z poziomu tej listy.",
            message,
        )
        self.assertNotIn("The work", message)
        self.assertEqual(lead.stage_id, self.stage_new)

    def test_qualify_dialog_in_polish(self):
        # As the web client loads the action the Qualify button opens: its name is the dialog's title.
        action = self.env_pl["ir.actions.act_window"]._for_xml_id(
            "lead_qualification_plus.crm_lead_qualify_action"
        )
        self.assertEqual(action["name"], "Kwalifikuj", "the dialog's title")
        views = self.env_pl["crm.lead.qualify"].get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        self.assertEqual(
            [button.get("string") for button in arch.iterfind(".//footer/button")], ["Kwalifikuj", "Anuluj"]
        )
        groups = [group.get("string") for group in arch.iterfind(".//group[@string]")]
        self.assertIn("Utwórz", groups)
        self.assertIn("Pasujące istniejące rekordy", groups)
        labels = self.env_pl["crm.lead.qualify"].fields_get(
            ["profile_id", "create_partner", "create_contact"]
        )
        self.assertEqual(
            [labels[name]["string"] for name in ("profile_id", "create_partner", "create_contact")],
            ["Profil", "Firma", "Kontakt"],
        )
