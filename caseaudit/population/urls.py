from django.urls import path

from caseaudit.population import views

urlpatterns = [
    path("", views.population, name="population"),
    path("import/", views.population_import, name="population_import"),
    path(
        "import/problems/<str:token>/",
        views.population_import_problems,
        name="population_import_problems",
    ),
    path("mappings/new/", views.population_mapping_new, name="population_mapping_new"),
    path(
        "mappings/new/columns/",
        views.population_mapping_columns,
        name="population_mapping_columns",
    ),
    path("benchmarks/", views.population_benchmarks, name="population_benchmarks"),
    path(
        "benchmarks/<int:pk>/delete/",
        views.population_benchmark_delete,
        name="population_benchmark_delete",
    ),
    path("<int:pk>/", views.population_figures, name="population_figures"),
]
