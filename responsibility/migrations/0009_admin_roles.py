"""三权分立 (GB/T 22239-2019 8.1.4.2): the 系统管理员, 安全管理员 and 审计管理员 roles take
accounts and the audit log away from 区政务公开办, which keeps content and configuration.

Frozen copy of the grants as this migration writes them (today's declaration is
`responsibility.roles.ROLE_GRANTS`)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

CRUD = ("view", "add", "change", "delete")
GRANTS = {
    "系统管理员": (
        ("auth", "user", ("view", "add", "change")),
        ("auth", "group", ("view",)),
        ("responsibility", "staffprofile", CRUD),
        ("responsibility", "accountsecurity", ("view",)),
    ),
    "安全管理员": (
        ("auth", "user", ("view",)),
        ("responsibility", "accountsecurity", ("view", "change")),
    ),
    "审计管理员": (("responsibility", "auditevent", ("view",)),),
}
TAKEN_FROM_OFFICE = (
    ("auth", "user", ("view", "add", "change")),
    ("auth", "group", ("view",)),
    ("responsibility", "staffprofile", CRUD),
    ("responsibility", "auditevent", ("view",)),
)
OFFICE = "区政务公开办"


def _permissions(apps, grants):
    Permission = apps.get_model("auth", "Permission")
    for app_label, model, actions in grants:
        for action in actions:
            yield Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")


def _ensure_permissions(apps):
    # On a fresh database Django creates permissions only after the last migration.
    for label in ("auth", "responsibility"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None


def separate(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    for role, grants in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*_permissions(apps, grants))
    office, _ = Group.objects.get_or_create(name=OFFICE)
    office.permissions.remove(*_permissions(apps, TAKEN_FROM_OFFICE))


def join(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=GRANTS).delete()
    office, _ = Group.objects.get_or_create(name=OFFICE)
    office.permissions.add(*_permissions(apps, TAKEN_FROM_OFFICE))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("responsibility", "0008_unit_contacts"),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('login', '登录'), ('login_failed', '登录失败'), ('login_blocked', '账号锁定期间尝试登录'), ('logout', '退出登录'), ('account_created', '创建账号'), ('account_changed', '修改账号权限'), ('account_deleted', '删除账号'), ('password_changed', '修改密码'), ('group_changed', '修改角色权限'), ('item_published', '发布信息'), ('item_scheduled', '定时发布信息'), ('item_withdrawn', '撤回信息'), ('item_validity', '变更有效性'), ('items_imported', '批量导入信息'), ('data_exported', '导出数据'), ('account_unlocked', '解除登录锁定'), ('password_must_change', '要求修改密码'), ('otp_enrolled', '启用第二因素'), ('otp_verified', '第二因素验证'), ('otp_reset', '重置第二因素'), ('session_expired', '闲置超时退出'), ('personal_data_viewed', '查看完整个人信息'), ('personal_data_erased', '删除到期个人信息'), ('audit_pruned', '清理到期审计日志'), ('interp_exempted', '登记解读豁免'), ('topic_changed', '修改专栏'), ('consult_published', '发布意见征集'), ('feedback_published', '发布意见采纳情况反馈')], max_length=20, verbose_name='事件'),
        ),
        migrations.RunPython(separate, join),
    ]
