from django.core import mail


class TestPasswordReset:
    def test_it_emails_a_reset_link_to_a_known_address(self, client, world):
        response = client.post("/accounts/password/reset/", {"email": "lena@north.example"})
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        assert "/accounts/password/reset/key/" in mail.outbox[0].body

    def test_an_unknown_address_gets_the_same_answer_and_no_email(self, client, world):
        response = client.post("/accounts/password/reset/", {"email": "nobody@nowhere.example"})
        assert response.status_code == 302
        assert response["Location"] == "/accounts/password/reset/done/"
        assert not mail.outbox
