"""The MOHRSS new occupations of 2024 (人社厅发〔2024〕36号) and 2025 that are not in the 2022 list.

Codes and names as listed in shared/data/README-occupations.md; their groups are left blank until
staff import an official file. Existing codes are never overwritten.
"""

from django.db import migrations

NEW_OCCUPATIONS = [
    # 2024-07, 人社厅发〔2024〕36号
    ("4-04-05-12", "云网智能运维员", "S"), ("4-07-07-04", "会展搭建师", ""), ("4-11-01-04", "储能电站运维管理员", "L"),
    ("2-05-07-17", "口腔卫生技师", ""), ("4-04-05-14", "工业互联网运维员", "S"), ("4-08-08-30", "文创产品策划运营师", ""),
    ("6-31-07-04", "智能制造系统运维员", "S"), ("4-04-05-15", "智能网联汽车测试员", "S"),
    ("6-31-07-05", "智能网联汽车装调运维员", "S"), ("4-05-02-02", "有色金属现货交易员", ""),
    ("6-17-01-08", "氢基直接还原炼铁工", "L"), ("4-14-05-08", "滑雪巡救员", ""), ("4-13-01-09", "版权经纪人", ""),
    ("4-04-05-13", "生成式人工智能系统应用员", "S"), ("2-02-32-02", "生物工程技术人员", ""),
    ("4-07-02-06", "用户增长运营师", "S"), ("4-11-01-05", "电能质量管理员", "L"), ("4-13-01-10", "网络主播", "S"),
    # 2025-07
    ("5-05-06-08", "代用茶加工工", ""), ("2-07-11-04", "养老服务师", ""), ("5-05-01-04", "农村集体经济经理人", ""),
    ("6-02-06-13", "咖啡加工工", ""), ("4-09-07-07", "室内环境治理员", ""), ("4-10-01-07", "家政服务经理人", ""),
    ("4-07-03-09", "工伤预防咨询师", ""), ("4-02-04-07", "无人机群飞行规划员", ""),
    ("2-02-30-12", "检验检测管理工程技术人员", ""), ("4-11-01-06", "电力可靠性管理员", "L"),
    ("4-11-01-07", "电力聚合运营员", "L/S"), ("4-08-08-31", "电子电路设计师", ""),
    ("6-13-01-03", "碳纤维制品成型制作工", ""), ("4-06-02-04", "装修管家", ""),
    ("4-01-06-03", "跨境电商运营管理师", "S"), ("6-29-02-18", "钢结构装配工", ""), ("6-25-01-17", "铁氧体磁体制造工", ""),
]


def load(apps, schema_editor):
    Occupation = apps.get_model("applications", "Occupation")
    for code, name, marks in NEW_OCCUPATIONS:
        Occupation.objects.get_or_create(code=code, defaults={"name": name, "marks": marks, "source": "new"})


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_attachment_keep_removed")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
