from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from applications.catalogue import load_occupations
from applications.models import Occupation


class Command(BaseCommand):
    help = "导入职业目录（.xlsx 或 .csv，列：code,name,major,medium,minor,marks），按职业编码新增或更新。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", choices=[v for v, _ in Occupation.Source.choices],
                            default=Occupation.Source.CLASSIFICATION_2022,
                            help="文件中没有 source 列时各行的来源：2022（职业分类大典）或 new（新职业目录）")

    def handle(self, *args, file, source, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            result = load_occupations(path.read_bytes(), path.name, source=source)
        except ValidationError as exc:
            raise CommandError("导入失败，未写入任何数据：" + "；".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(
            f"导入完成：新增 {result.created} 条，更新 {result.updated} 条，未变 {result.unchanged} 条。"
        ))
