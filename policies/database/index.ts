import type { PackPolicy } from "../lib/define";
import { pgAdminGroupSize } from "./pg-admin-group-size";
import { pgReadonlyDefaultOwner } from "./pg-readonly-default-owner";
import { pgReadonlyPrivileges } from "./pg-readonly-privileges";
import { pgReadonlyRoleAttributes } from "./pg-readonly-role-attributes";
import { rdsBackupRetention } from "./rds-backup-retention";
import { rdsDeletionProtection } from "./rds-deletion-protection";
import { rdsEncryptedCmk } from "./rds-encrypted-cmk";
import { rdsForceSsl } from "./rds-force-ssl";
import { rdsIamAuth } from "./rds-iam-auth";
import { rdsLogExports } from "./rds-log-exports";
import { rdsNotPublic } from "./rds-not-public";
import { rdsParameterGroupLinked } from "./rds-parameter-group-linked";

/** Control family: database (runbook: Database Access, encryption, backups). */
export const databasePolicies: PackPolicy[] = [
  rdsEncryptedCmk,
  rdsNotPublic,
  rdsDeletionProtection,
  rdsBackupRetention,
  rdsIamAuth,
  rdsLogExports,
  rdsForceSsl,
  rdsParameterGroupLinked,
  pgReadonlyPrivileges,
  pgReadonlyDefaultOwner,
  pgReadonlyRoleAttributes,
  pgAdminGroupSize,
];
