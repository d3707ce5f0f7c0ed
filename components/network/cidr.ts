/**
 * IPv4 subnet arithmetic (Terraform's cidrsubnet): the `netnum`-th block of
 * `newbits` extra prefix bits inside `base`. Pure, so subnet layout is
 * decided from config before anything is deployed.
 */
export function parseCidr(cidr: string): { address: number; prefix: number } {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) throw new Error(`"${cidr}" is not an IPv4 CIDR block such as 10.40.0.0/16`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`"${cidr}" is not an IPv4 CIDR block such as 10.40.0.0/16`);
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((address & mask) >>> 0 !== address) throw new Error(`"${cidr}" has host bits set; the network address is ${formatAddress((address & mask) >>> 0)}/${prefix}`);
  return { address, prefix };
}

function formatAddress(a: number): string {
  return [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join(".");
}

export function cidrSubnet(base: string, newbits: number, netnum: number): string {
  const { address, prefix } = parseCidr(base);
  const newPrefix = prefix + newbits;
  if (!Number.isInteger(newbits) || newbits < 1 || newPrefix > 32) {
    throw new Error(`cannot add ${newbits} prefix bits to ${base} (the result must be at most /32)`);
  }
  if (!Number.isInteger(netnum) || netnum < 0 || netnum >= 2 ** newbits) {
    throw new Error(`${base} has ${2 ** newbits} subnets of /${newPrefix}; subnet number ${netnum} is out of range`);
  }
  const subnet = (address + netnum * 2 ** (32 - newPrefix)) >>> 0;
  return `${formatAddress(subnet)}/${newPrefix}`;
}
