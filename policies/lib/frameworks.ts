/**
 * Compliance framework mapping, kept as data. Each control family maps to
 * requirement ids of PCI DSS v4.0, SOC 2 trust services criteria and SOX
 * ITGC areas; a policy names one entry and may add its own ids.
 */
export interface ControlMapping {
  /** PCI DSS v4.0 requirement numbers. */
  pci: string[];
  /** SOC 2 (2017 TSC) criteria. */
  soc2: string[];
  /** SOX IT general control areas. */
  sox: string[];
}

export const CONTROLS = {
  keyManagement: { pci: ["3.5.1", "3.6.1", "3.7.4"], soc2: ["CC6.1", "CC6.7"], sox: ["ITGC-AC: cryptographic key management"] },
  secretRotation: { pci: ["3.7.4", "8.3.9", "8.6.3"], soc2: ["CC6.1", "CC6.2"], sox: ["ITGC-AC: credential management"] },
  secretEncryption: { pci: ["3.5.1", "8.3.2"], soc2: ["CC6.1", "CC6.7"], sox: ["ITGC-AC: credential management"] },
  dataAtRest: { pci: ["3.5.1"], soc2: ["CC6.1", "CC6.7"], sox: ["ITGC-AC: data protection"] },
  dataInTransit: { pci: ["4.2.1"], soc2: ["CC6.7"], sox: ["ITGC-AC: data protection"] },
  leastPrivilege: { pci: ["7.2.1", "7.2.2", "7.2.5"], soc2: ["CC6.1", "CC6.3"], sox: ["ITGC-AC: logical access"] },
  privilegedAccess: { pci: ["7.2.2", "8.2.2"], soc2: ["CC6.2", "CC6.3"], sox: ["ITGC-AC: privileged access"] },
  mfa: { pci: ["8.4.1", "8.4.2", "8.5.1"], soc2: ["CC6.1", "CC6.6"], sox: ["ITGC-AC: authentication"] },
  networkSecurity: { pci: ["1.2.1", "1.3.1", "1.4.1"], soc2: ["CC6.6"], sox: ["ITGC-AC: network security"] },
  backup: { pci: ["12.10.1"], soc2: ["A1.2", "A1.3"], sox: ["ITGC-OPS: backup and recovery"] },
  retention: { pci: ["3.2.1", "10.5.1"], soc2: ["A1.2", "C1.2"], sox: ["ITGC-OPS: backup and recovery"] },
  recovery: { pci: ["12.10.1", "12.10.2"], soc2: ["A1.2", "A1.3", "CC7.5"], sox: ["ITGC-OPS: disaster recovery"] },
  monitoring: { pci: ["10.4.1", "10.7.2", "12.10.5"], soc2: ["CC7.2", "CC7.3"], sox: ["ITGC-OPS: monitoring and incident management"] },
  incidentResponse: { pci: ["12.10.1", "12.10.3"], soc2: ["CC7.3", "CC7.4"], sox: ["ITGC-OPS: incident management"] },
  auditLogging: { pci: ["10.2.1", "10.3.2", "10.5.1"], soc2: ["CC7.2", "CC4.1"], sox: ["ITGC-OPS: audit logging"] },
  workloadHardening: { pci: ["2.2.1", "6.3.3"], soc2: ["CC6.8", "CC7.1"], sox: ["ITGC-CM: configuration management"] },
  availability: { pci: ["12.10.1"], soc2: ["A1.1", "A1.2"], sox: ["ITGC-OPS: availability"] },
  changeProtection: { pci: ["6.5.1"], soc2: ["CC8.1"], sox: ["ITGC-CM: change management"] },
  patching: { pci: ["6.3.3", "11.3.1"], soc2: ["CC7.1"], sox: ["ITGC-CM: patch management"] },
} as const satisfies Record<string, ControlMapping>;

export type ControlKey = keyof typeof CONTROLS;
