from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.service.model import _as_validation_error
from odoo.tools import mute_logger

from .common import StakeholderCommon


class TestCompetitors(StakeholderCommon):
    def test_competitor_once_per_lead(self):
        lead = self._create_leads()
        line = self._add_competitor(lead, self.competitor_a)
        self.assertEqual((line.threat_level, line.status), ("medium", "active"))
        self.assertEqual(lead.competitor_count, 1)
        self._add_competitor(self._create_leads(), self.competitor_a)
        with self.assertRaises(IntegrityError) as caught, mute_logger("odoo.sql_db"):
            self._add_competitor(lead, self.competitor_a, threat_level="high")
            self.env.flush_all()
        self.assertIn("already recorded", str(_as_validation_error(self.env, caught.exception)))

    def test_lost_wizard_offers_only_the_records_competitors(self):
        lead = self._create_leads()
        self._add_competitor(lead, self.competitor_a)
        wizard_form = self._open_wizard("crm.lead.lost", lead, user=self.user_salesman, form=True)
        self.assertEqual(wizard_form.available_competitor_ids[:], self.competitor_a)
        wizard_form.lost_to_competitor_id = self.competitor_a
        wizard_form.save().action_lost_reason_apply()
        self.assertFalse(lead.active)
        self.assertEqual(lead.probability, 0)
        self.assertEqual(lead.lost_to_competitor_id, self.competitor_a)

    def test_lost_wizard_without_competitors(self):
        lead = self._create_leads()
        wizard = self._open_wizard("crm.lead.lost", lead, user=self.user_salesman, form=True).save()
        self.assertFalse(wizard.available_competitor_ids)
        wizard.action_lost_reason_apply()
        self.assertFalse(lead.active)
        self.assertFalse(lead.lost_to_competitor_id)

    def test_lost_wizard_refuses_a_foreign_competitor(self):
        """An RPC caller cannot record a loss to a competitor that is on none of the records."""
        lead = self._create_leads()
        self._add_competitor(lead, self.competitor_a)
        wizard = (
            self.env["crm.lead.lost"]
            .with_user(self.user_salesman)
            .create({"lead_ids": [(6, 0, lead.ids)], "lost_to_competitor_id": self.competitor_b.id})
        )
        with self.assertRaises(UserError):
            wizard.action_lost_reason_apply()
        self.assertTrue(lead.active)

    def test_lost_wizard_several_records(self):
        """Mass lost: the competitor is written only where it is recorded."""
        with_a, with_b = self._create_leads(2)
        self._add_competitor(with_a, self.competitor_a)
        self._add_competitor(with_b, self.competitor_b)
        wizard_form = self._open_wizard("crm.lead.lost", with_a + with_b, user=self.user_salesman, form=True)
        self.assertEqual(wizard_form.available_competitor_ids[:], self.competitor_a + self.competitor_b)
        wizard_form.lost_to_competitor_id = self.competitor_b
        wizard_form.save().action_lost_reason_apply()
        self.assertFalse((with_a + with_b).filtered("active"))
        self.assertFalse(with_a.lost_to_competitor_id)
        self.assertEqual(with_b.lost_to_competitor_id, self.competitor_b)

    def test_lost_only_to_a_recorded_competitor(self):
        lead = self._create_leads()
        line = self._add_competitor(lead, self.competitor_a)
        with self.assertRaises(ValidationError):
            lead.with_user(self.user_salesman).write({"lost_to_competitor_id": self.competitor_b.id})
        lead.with_user(self.user_salesman).action_set_lost(lost_to_competitor_id=self.competitor_a.id)
        # The record of the loss survives the removal of the line.
        line.unlink()
        self.assertEqual(lead.lost_to_competitor_id, self.competitor_a)

    def test_restore_clears_lost_to_competitor(self):
        lead = self._create_leads()
        self._add_competitor(lead, self.competitor_a)
        lead.action_set_lost(lost_to_competitor_id=self.competitor_a.id)
        lead.action_unarchive()
        self.assertTrue(lead.active)
        self.assertFalse(lead.lost_to_competitor_id)

    def test_win_loss_figures(self):
        """Won: won opportunities with the competitor. Lost: lost records marked lost to it.

        A record lost for another reason while the competitor was bidding is not a loss against it.
        """
        won_1, won_2, lost_to_a, lost_other, ongoing, lost_to_b = self._create_leads(6, type="opportunity")
        for lead in won_1 + won_2 + lost_to_a + lost_other + ongoing:
            self._add_competitor(lead, self.competitor_a)
        self._add_competitor(lost_to_b, self.competitor_b)
        self._add_competitor(lost_to_b, self.competitor_a)
        (won_1 + won_2).action_set_won()
        lost_to_a.action_set_lost(lost_to_competitor_id=self.competitor_a.id)
        lost_other.action_set_lost()
        lost_to_b.action_set_lost(lost_to_competitor_id=self.competitor_b.id)

        competitors = (self.competitor_a + self.competitor_b).with_user(self.user_manager)
        competitor_a, competitor_b = competitors
        self.assertEqual(
            (competitor_a.opportunity_count, competitor_a.won_count, competitor_a.lost_count), (6, 2, 1)
        )
        self.assertEqual(
            (competitor_b.opportunity_count, competitor_b.won_count, competitor_b.lost_count), (1, 0, 1)
        )

        Lead = self.env["crm.lead"].with_user(self.user_manager).with_context(active_test=False)
        self.assertEqual(Lead.search(competitor_a.action_view_won()["domain"]), won_1 + won_2)
        self.assertEqual(Lead.search(competitor_a.action_view_lost()["domain"]), lost_to_a)
        self.assertEqual(len(Lead.search(competitor_a.action_view_opportunities()["domain"])), 6)

        # A salesperson limited to their own records sees the figures of what they may read.
        foreign = self._create_leads(type="opportunity", user_id=self.user_salesman_all.id)
        self._add_competitor(foreign, self.competitor_a)
        foreign.action_set_won()
        self.assertEqual(competitor_a.with_user(self.user_salesman).won_count, 2)
        self.assertEqual(competitor_a.with_user(self.user_salesman_all).won_count, 3)
