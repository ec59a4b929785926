from django.db import migrations

# A frozen copy of the scenario's occupations: a migration must not import the demo app.
OCCUPATIONS = [
    ("4-04-05-05", "人工智能训练师", "4 社会生产服务和生活服务人员", "4-04 信息传输、软件和信息技术服务人员", "4-04-05 软件和信息技术服务人员", "S"),
    ("6-31-07-01", "工业机器人系统运维员", "6 生产制造及有关人员", "6-31 生产辅助人员", "6-31-07 工业机器人操作运维人员", "S"),
    ("6-18-01-07", "多工序数控机床操作调整工", "6 生产制造及有关人员", "6-18 机械制造基础加工人员", "6-18-01 机械冷加工人员", ""),
    ("4-04-04-02", "网络与信息安全管理员", "4 社会生产服务和生活服务人员", "4-04 信息传输、软件和信息技术服务人员", "4-04-04 信息通信网络运行管理人员", "S"),
    ("2-02-38-09", "集成电路工程技术人员", "2 专业技术人员", "2-02 工程技术人员", "2-02-38 数字技术工程技术人员", "S"),
    ("4-04-05-06", "区块链应用操作员", "4 社会生产服务和生活服务人员", "4-04 信息传输、软件和信息技术服务人员", "4-04-05 软件和信息技术服务人员", "S"),
    ("6-25-04-09", "物联网安装调试员", "6 生产制造及有关人员", "6-25 计算机、通信和其他电子设备制造人员", "6-25-04 电子设备装配调试人员", ""),
    ("4-03-02-01", "中式烹调师", "4 社会生产服务和生活服务人员", "4-03 住宿和餐饮服务人员", "4-03-02 餐饮服务人员", ""),
    ("4-10-01-05", "养老护理员", "4 社会生产服务和生活服务人员", "4-10 居民服务人员", "4-10-01 生活照料服务人员", ""),
    ("4-10-08-01", "网约配送员", "4 社会生产服务和生活服务人员", "4-10 居民服务人员", "4-10-08 社区生活服务人员", ""),
]


def load(apps, schema_editor):
    Occupation = apps.get_model("applications", "Occupation")
    for code, name, major, medium, minor, marks in OCCUPATIONS:
        Occupation.objects.get_or_create(
            code=code, defaults={"name": name, "major": major, "medium": medium, "minor": minor, "marks": marks}
        )


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
