"""/population/benchmarks/: comparison figures the partnership enters, added and deleted."""

from decimal import Decimal

from caseaudit.population.models import Benchmark

URL = "/population/benchmarks/"
GOOD = {
    "measure": "repeat_plan_rate",
    "kind": "neighbour",
    "label": "Northshire",
    "value": "16.5",
    "period": "2023 to 2024",
}


def benchmark(partnership, label: str = "England") -> Benchmark:
    return Benchmark.objects.create(
        partnership=partnership,
        measure="repeat_plan_rate",
        kind="national",
        label=label,
        value=Decimal("23.3"),
    )


class TestBenchmarks:
    def test_it_lists_this_partnerships_benchmarks(self, client, world):
        benchmark(world.north, "England")
        benchmark(world.south, "Somewhere South")
        client.force_login(world.lena)
        content = client.get(URL).content.decode()
        assert "England" in content
        assert "23.30" in content
        assert "Somewhere South" not in content

    def test_it_adds_one(self, client, world):
        client.force_login(world.alice)
        response = client.post(URL, GOOD)
        assert response.status_code == 302
        added = Benchmark.objects.get()
        assert (added.partnership, added.kind, added.label, added.value, added.period) == (
            world.north,
            "neighbour",
            "Northshire",
            Decimal("16.5"),
            "2023 to 2024",
        )
        assert "Benchmark Northshire added" in client.get(URL).content.decode()

    def test_the_value_must_be_a_number(self, client, world):
        client.force_login(world.lena)
        response = client.post(URL, {**GOOD, "value": "sixteen"})
        content = response.content.decode()
        assert response.status_code == 200
        assert "Enter the value as a number, like 16.5" in content
        assert 'value="Northshire"' in content
        assert 'value="neighbour" checked' in content
        assert not Benchmark.objects.exists()

    def test_the_value_is_a_percentage(self, client, world):
        client.force_login(world.lena)
        content = client.post(URL, {**GOOD, "value": "150"}).content.decode()
        assert "The value must be 100 or less" in content
        content = client.post(URL, {**GOOD, "value": "16.555"}).content.decode()
        assert "Enter the value with no more than 2 decimal places, like 16.5" in content

    def test_everything_missing(self, client, world):
        client.force_login(world.lena)
        content = client.post(URL, {}).content.decode()
        assert "Select the kind of comparison" in content
        assert "Enter a name, like England" in content
        assert "Enter the value as a number, like 16.5" in content

    def test_free_text_is_escaped(self, client, world):
        benchmark(world.north, "<script>alert(1)</script>")
        client.force_login(world.lena)
        content = client.get(URL).content.decode()
        assert "<script>alert(1)" not in content

    def test_access(self, client, world):
        assert client.get(URL).status_code == 302
        for persona in ("chris", "hana", "morgan", "sam", "bea"):
            client.force_login(world.users[persona])
            assert client.post(URL, GOOD).status_code == 404
        assert not Benchmark.objects.exists()
        client.force_login(world.lena)
        assert client.put(URL).status_code == 405


class TestBenchmarkDelete:
    def test_it_deletes(self, client, world):
        england = benchmark(world.north)
        client.force_login(world.lena)
        response = client.post(f"/population/benchmarks/{england.pk}/delete/")
        assert response.status_code == 302
        assert response["Location"] == URL
        assert not Benchmark.objects.exists()

    def test_another_partnerships_benchmark_is_404(self, client, world):
        england = benchmark(world.north)
        client.force_login(world.sol)
        assert client.post(f"/population/benchmarks/{england.pk}/delete/").status_code == 404
        assert Benchmark.objects.exists()

    def test_access(self, client, world):
        england = benchmark(world.north)
        delete_url = f"/population/benchmarks/{england.pk}/delete/"
        assert client.post(delete_url).status_code == 302
        client.force_login(world.bea)
        assert client.post(delete_url).status_code == 404
        client.force_login(world.lena)
        assert client.get(delete_url).status_code == 405
        assert Benchmark.objects.exists()
