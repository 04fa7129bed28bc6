"""/population/<pk>/: figures for one import, beside the benchmarks. Never names or ids."""

from datetime import date

from caseaudit.population.models import Benchmark, PopulationSnapshot
from caseaudit.population.services import population_import

HEADER = (
    "child_id,date_of_birth,gender,team,sibling_group,plan_category,plan_start,"
    "previous_plan_end,previous_plans,name\n"
)
ROWS = (
    "C900001,2015-03-02,Female,Team A,SIBGROUP-41,neglect,2026-01-10,2024-05-01,1,Tilly Testcase",
    "C900002,2018-07-12,Male,Team A,SIBGROUP-41,neglect,2026-02-01,,0,Barney Madeup",
    "C900003,2009-01-01,Male,<b>Team B</b>,,physical abuse,2025-11-01,2020-01-01,2,",
    "C900004,2023-01-01,Female,Team B,,multiple,2025-11-01,,0,",
)


def import_north(world) -> PopulationSnapshot:
    content = (HEADER + "".join(row + "\n" for row in ROWS)).encode()
    return population_import(
        partnership=world.north,
        content=content,
        file_name="north.csv",
        user=world.lena,
        today=date(2026, 6, 1),
    )


def url(snapshot) -> str:
    return f"/population/{snapshot.pk}/"


class TestFigures:
    def test_it_shows_counts_and_percentages(self, client, world):
        snapshot = import_north(world)
        client.force_login(world.lena)
        content = client.get(url(snapshot)).content.decode()
        assert "By plan category" in content
        assert "Neglect" in content
        assert "50.0%" in content  # 2 of 4 on neglect, on Team A, female, male
        assert "By age" in content
        assert "0 to 4" in content
        assert "By team" in content
        assert "2 (50.0%)" in content  # children on a repeat plan
        assert "Shortest 619 days, longest 2131 days" in content
        assert "1 group of brothers and sisters, 2 children" in content

    def test_it_never_shows_names_or_ids(self, client, world):
        snapshot = import_north(world)
        client.force_login(world.lena)
        content = client.get(url(snapshot)).content.decode()
        for secret in ("Tilly", "Barney", "C900001", "2015-03-02", "SIBGROUP-41"):
            assert secret not in content

    def test_free_text_is_escaped(self, client, world):
        snapshot = import_north(world)
        client.force_login(world.lena)
        content = client.get(url(snapshot)).content.decode()
        assert "<b>Team B</b>" not in content
        assert "&lt;b&gt;Team B&lt;/b&gt;" in content

    def test_it_compares_the_repeat_rate_with_benchmarks_in_a_table_and_a_chart(
        self, client, world
    ):
        snapshot = import_north(world)
        for label, kind, value in [
            ("England", "national", "23.3"),
            ("Northshire", "neighbour", "20"),
            ("Westshire", "neighbour", "30"),
        ]:
            Benchmark.objects.create(
                partnership=world.north,
                measure="repeat_plan_rate",
                kind=kind,
                label=label,
                value=value,
            )
        Benchmark.objects.create(
            partnership=world.south,
            measure="repeat_plan_rate",
            kind="national",
            label="Elsewhere",
            value=1,
        )
        client.force_login(world.alice)
        content = client.get(url(snapshot)).content.decode()
        svg = content[content.index("<svg") : content.index("</svg>")]
        assert 'role="img"' in svg
        assert "<title " in svg
        assert "style=" not in svg
        assert "North (this extract)" in svg
        assert "Statistical neighbours&#x27; average" in svg
        assert "25.0%" in content  # (20 + 30) / 2
        assert "23.30%" in content
        assert "Elsewhere" not in content

    def test_it_says_when_there_are_no_benchmarks(self, client, world):
        snapshot = import_north(world)
        client.force_login(world.lena)
        assert "No benchmarks yet" in client.get(url(snapshot)).content.decode()


class TestFiguresAccess:
    def test_another_partnerships_import_is_404(self, client, world):
        snapshot = import_north(world)
        client.force_login(world.sol)
        assert client.get(url(snapshot)).status_code == 404

    def test_other_roles_get_404(self, client, world):
        snapshot = import_north(world)
        for persona in ("chris", "hana", "morgan", "sam", "bea"):
            client.force_login(world.users[persona])
            assert client.get(url(snapshot)).status_code == 404

    def test_anonymous_people_are_sent_to_sign_in(self, client, world):
        response = client.get(url(import_north(world)))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_wrong_method(self, client, world):
        client.force_login(world.lena)
        assert client.post(url(import_north(world))).status_code == 405
