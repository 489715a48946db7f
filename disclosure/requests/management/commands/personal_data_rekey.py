"""Key rotation for applicants' personal data and the authenticators' secrets (SM4)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from disclosure.requests.services import requests_personal_data_rekey
from furong_portal.personal_data import current_key_id
from responsibility.second_factor import second_factor_keys_rekey


class Command(BaseCommand):
    help = (
        "用 PERSONAL_DATA_KEYS 中的第一个（当前）SM4 密钥重新加密全部申请人个人信息和身份验证器密钥，并用当前 "
        "PERSONAL_DATA_DIGEST_KEY 重算证件号码摘要。轮换步骤：把新密钥写在最前、旧密钥保留在后，"
        "重启后运行本命令，成功后再从配置中删除旧密钥。"
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            requests = requests_personal_data_rekey()
            authenticators = second_factor_keys_rekey()
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(
                f"已用密钥 {current_key_id()} 重新加密 {requests} 件申请的个人信息和 {authenticators} 个身份验证器的密钥。"
            ))
