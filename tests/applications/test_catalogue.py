import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from applications.catalogue import SEARCH_LIMIT, SHIPPED, load_occupations
from applications.models import Occupation

pytestmark = pytest.mark.django_db

OFFICIAL = SHIPPED / "occupations-2022.csv"
HEADER = "code,name,major,medium,minor,marks\n"


def test_the_official_2022_list_imports_whole():
    result = load_occupations(OFFICIAL.read_bytes(), OFFICIAL.name)
    assert Occupation.objects.filter(source=Occupation.Source.CLASSIFICATION_2022).count() == 1636 == result.total
    ai = Occupation.objects.get(code="4-04-05-05")
    assert (ai.name, ai.marks, ai.minor) == ("人工智能训练师", "S", "4-04-05 软件和信息技术服务人员")
    again = load_occupations(OFFICIAL.read_bytes(), OFFICIAL.name)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1636)


def test_a_bad_row_rolls_back_the_whole_import_and_names_row_and_column():
    before = Occupation.objects.count()
    content = (HEADER + "6-99-99-01,测试职业一,,,,\n" + "1-01-00-01,中国共产党机关负责人（改）,,,,\n"
               + "4-0405-05,写错编码的职业,,,,\n").encode()
    with pytest.raises(ValidationError) as error:
        load_occupations(content, "目录.csv")
    assert error.value.messages == ["第 4 行“职业编码”列：格式应为 X-XX-XX-XX（如 4-04-05-05），实为“4-0405-05”"]
    assert Occupation.objects.count() == before


@pytest.mark.parametrize(("row", "message"), [
    ("4-04-05-05,,,,,", "第 2 行“职业名称”列：不能为空"),
    ("4-04-05-05,人工智能训练师,,,,X", "第 2 行“标识”列：只能为空或 L、S、L/S"),
])
def test_each_bad_cell_is_named(row, message):
    with pytest.raises(ValidationError) as error:
        load_occupations((HEADER + row + "\n").encode(), "目录.csv")
    assert error.value.messages[0].startswith(message)


def test_xlsx_with_chinese_headers_upserts_by_code():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["职业编码", "职业名称", "大类", "中类", "小类", "标识", "来源"])
    sheet.append(["6-99-98-03", "测试新职业丙", "6 生产制造及有关人员", "6-99", "6-99-98", "S", "new"])
    sheet.append(["4-04-05-05", "人工智能训练师", "4 社会生产服务和生活服务人员", "4-04", "4-04-05", "S", "2022"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = load_occupations(buffer.getvalue(), "新职业.xlsx")
    assert (result.created, result.updated) == (1, 1)
    assert Occupation.objects.get(code="6-99-98-03").source == Occupation.Source.NEW_OCCUPATION


def test_staff_import_through_the_catalogue_page(client, reviewer):
    client.force_login(reviewer)
    upload = SimpleUploadedFile("目录.csv", (HEADER + "6-99-98-01,测试新职业甲,,,,S\n").encode())
    response = client.post(reverse("applications:catalogue"), {"file": upload, "source": "new"}, follow=True)
    assert "新增 1 条" in response.content.decode()
    assert Occupation.objects.get(code="6-99-98-01").source == "new"
    bad = SimpleUploadedFile("目录.csv", (HEADER + "x,坏行,,,,\n").encode())
    response = client.post(reverse("applications:catalogue"), {"file": bad, "source": "2022"})
    assert "第 2 行“职业编码”列" in response.content.decode()


def test_organizers_cannot_import(client, organizer):
    client.force_login(organizer)
    assert client.get(reverse("applications:catalogue")).status_code == 403


def test_management_command_uses_the_same_import(tmp_path):
    path = tmp_path / "目录.csv"
    path.write_text(HEADER + "6-99-98-02,测试新职业乙,,,,S\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_occupations", str(path), "--source", "new", stdout=out)
    assert "新增 1 条" in out.getvalue()
    assert Occupation.objects.get(code="6-99-98-02").source == "new"


def test_occupation_is_registered_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:applications_occupation_changelist"), {"q": "人工智能训练师"})
    assert response.status_code == 200 and "4-04-05-05" in response.content.decode()


def test_picker_search_by_code_prefix_and_by_name(client, organizer):
    client.force_login(organizer)
    url = reverse("applications:occupation_search")
    html = client.get(url, {"occupation": "4-04-05"}).content.decode()
    assert "人工智能训练师" in html and "区块链应用操作员" in html and "中式烹调师" not in html
    html = client.get(url, {"occupation": "烹调"}).content.decode()
    assert 'data-occupation-pick="4-03-02-01 中式烹调师"' in html
    html = client.get(url, {"occupation": "4-04-05-05 人工智能训练师"}).content.decode()
    assert html.count("data-occupation-pick") == 1


def test_new_occupations_ship_with_the_install(client, organizer):
    generative = Occupation.objects.get(code="4-04-05-13")
    assert (generative.name, generative.source) == ("生成式人工智能系统应用员", Occupation.Source.NEW_OCCUPATION)
    client.force_login(organizer)
    html = client.get(reverse("applications:occupation_search"), {"occupation": "生成式"}).content.decode()
    assert "新职业" in html


def test_picker_search_is_limited(client, organizer):
    Occupation.objects.bulk_create(Occupation(code=f"6-99-99-{i:02d}", name=f"测试工{i}") for i in range(30))
    client.force_login(organizer)
    html = client.get(reverse("applications:occupation_search"), {"occupation": "测试工"}).content.decode()
    assert html.count("data-occupation-pick") == SEARCH_LIMIT
