from odoo import Command
from odoo.exceptions import ValidationError

from .common import TransitionRuleCommon


class TestTransitionStakeholderKinds(TransitionRuleCommon):
    """Requirement kinds of the stakeholders: who is named, who else is bidding."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.role_decider = cls.env["crm.stakeholder.role"].create(
            {"name": "Signer", "is_decision_maker": True}
        )
        cls.role_influencer = cls.env["crm.stakeholder.role"].create({"name": "Advisor"})
        cls.contacts = cls.env["res.partner"].create([{"name": f"Stakeholder {index}"} for index in range(3)])
        cls.competitor = cls.env["crm.competitor"].create({"name": "Rival Inc"})

    def _name(self, lead, contact, role):
        lead.stakeholder_ids = [Command.create({"partner_id": contact.id, "role_id": role.id})]

    def _move(self, leads):
        leads.write({"stage_id": self.stage_contacted.id})

    def test_stakeholder_count(self):
        self._create_rule([{"name": "Two people named", "kind": "stakeholder", "min_count": 2}])
        lead = self._create_leads()
        self._name(lead, self.contacts[0], self.role_influencer)
        with self.assertRaisesRegex(ValidationError, "Two people named"):
            self._move(lead)
        self._name(lead, self.contacts[1], self.role_influencer)
        self._move(lead)
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_stakeholder_with_a_role_or_a_decision_maker(self):
        self._create_rule(
            [
                {
                    "name": "The signer is known",
                    "kind": "stakeholder",
                    "stakeholder_role_id": self.role_decider.id,
                },
                {"name": "A decision maker is named", "kind": "stakeholder", "decision_maker_only": True},
            ]
        )
        lead = self._create_leads()
        self._name(lead, self.contacts[0], self.role_influencer)
        with self.assertRaisesRegex(ValidationError, "The signer is known"):
            self._move(lead)
        self._name(lead, self.contacts[1], self.role_decider)
        self._move(lead)
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_competitor_any_of(self):
        """``any``: a competitor recorded OR a decision maker named is enough."""
        self._create_rule(
            [
                {"name": "A competitor is recorded", "kind": "competitor"},
                {"name": "A decision maker is named", "kind": "stakeholder", "decision_maker_only": True},
            ],
            match="any",
        )
        blocked, with_competitor = self._create_leads(2)
        with_competitor.competitor_ids = [Command.create({"competitor_id": self.competitor.id})]
        with self.assertRaisesRegex(ValidationError, "A competitor is recorded"):
            self._move(blocked)
        self._move(with_competitor)
        self.assertEqual(with_competitor.stage_id, self.stage_contacted)

    def test_stakeholder_count_must_be_positive(self):
        with self.assertRaises(ValidationError):
            self._create_rule([{"name": "Nobody", "kind": "stakeholder", "min_count": 0}])

    def test_check_transition_reports_stakeholder_kinds(self):
        rule = self._create_rule([{"name": "A competitor is recorded", "kind": "competitor"}])
        lead = self._create_leads()
        self.assertEqual(
            lead.check_transition(self.stage_contacted.id),
            [
                {
                    "rule_id": rule.id,
                    "rule": rule.name,
                    "requirement_id": rule.requirement_ids.id,
                    "requirement": "A competitor is recorded",
                    "met": False,
                    "optional": False,
                }
            ],
        )
