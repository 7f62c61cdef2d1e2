from .common import StakeholderCommon


class TestStakeholderMerge(StakeholderCommon):
    def test_merge_without_duplicates(self):
        head, tail_1, tail_2 = self._create_leads(3)
        head.write({"type": "opportunity", "probability": 90})
        (tail_1 + tail_2).write({"probability": 10})
        head_line = self._add_stakeholder(head, self.free_contact, self.role_decision_maker)
        self._add_stakeholder(tail_1, self.free_contact, self.role_influencer)
        tail_line = self._add_stakeholder(tail_1, self.free_contact_2, self.role_influencer)
        self._add_stakeholder(tail_2, self.free_contact_2)
        self._add_stakeholder(tail_2, self.customer_contact)
        head_competitor = self._add_competitor(head, self.competitor_a, threat_level="high")
        self._add_competitor(tail_1, self.competitor_a)
        self._add_competitor(tail_2, self.competitor_b, status="eliminated")

        merged = (head + tail_1 + tail_2).with_user(self.user_salesman).merge_opportunity()

        self.assertEqual(merged, head)
        self.assertFalse((tail_1 + tail_2).exists())
        self.assertEqual(len(head.stakeholder_ids), 3)
        self.assertEqual(
            head.stakeholder_ids.partner_id, self.free_contact + self.free_contact_2 + self.customer_contact
        )
        # The head's line wins, then the first merged record's.
        self.assertIn(head_line, head.stakeholder_ids)
        self.assertIn(tail_line, head.stakeholder_ids)
        self.assertEqual(head.decision_maker_count, 1)
        self.assertEqual(head.competitor_ids.competitor_id, self.competitor_a + self.competitor_b)
        self.assertIn(head_competitor, head.competitor_ids)
        self.assertEqual(head.competitor_count, 2)

    def test_merge_keeps_lost_to_competitor_of_lost_records(self):
        lost_1, lost_2 = self._create_leads(2)
        self._add_competitor(lost_2, self.competitor_b)
        (lost_1 + lost_2).action_set_lost()
        lost_2.lost_to_competitor_id = self.competitor_b
        merged = (lost_1 + lost_2)._merge_opportunity()
        self.assertEqual(merged.lost_to_competitor_id, self.competitor_b)
        self.assertEqual(merged.competitor_ids.competitor_id, self.competitor_b)
