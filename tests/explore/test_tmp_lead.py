import re

from django.urls import reverse

from headway.explore.models import ResultsTable


def test_page(demo_results, client):
    t = ResultsTable.objects.get()
    print("rows", t.rows, "seconds", t.seconds)
    client.login(email="steward@headway.example", password="headway-demo")
    school = demo_results.children.get(local_id="0101")
    for org, q in (
        (demo_results, ""),
        (school, "?compare=english_learner"),
        (school, "?view=public&compare=race_ethnicity"),
    ):
        r = client.get(reverse("explore-results", args=[org.code]) + q)
        print(r.status_code)
        html = r.content.decode()
        main = html[html.find("<main") :]
        print(re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", main))[:2500])
