from django.core.management.base import BaseCommand

from disclosure.opendata.datasets import DATASETS, open_data_export, open_data_root


class Command(BaseCommand):
    help = "写出开放数据批量下载文件（CSV 与 JSON Lines），每晚运行一次；文件整体替换，读者不会看到写了一半的文件。"

    def add_arguments(self, parser):
        parser.add_argument("--dataset", action="append", choices=[d.name for d in DATASETS], help="只写出这些数据集")

    def handle(self, *args, dataset=None, verbosity=1, **options):
        chosen = [d for d in DATASETS if not dataset or d.name in dataset]
        counts = open_data_export(datasets=chosen)
        if verbosity:
            for name, count in counts.items():
                self.stdout.write(f"{name}: {count} 行")
            self.stdout.write(self.style.SUCCESS(f"已写出 {len(counts) * 2} 个文件到 {open_data_root()}"))
