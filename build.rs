// embed_migrations! only sees the migration folders that existed at the last build.
fn main() {
    println!("cargo:rerun-if-changed=migrations/postgres");
    println!("cargo:rerun-if-changed=migrations/sqlite");
    println!("cargo:rerun-if-changed=src/web/templates");
    // Relative relocations packed (DT_RELR): the loader reads 30 KiB of them at start-up
    // instead of 2 MiB, which then stayed resident (2 MiB of idle RSS), and the binary is
    // 2 MiB smaller. A glibc older than 2.36 cannot load such a binary: only when built on
    // a glibc from 2.36 for the same target (a linker that does not know the option ignores
    // it), unless MUNIFED_PACK_RELOCATIONS=0 (a binary for an older system).
    println!("cargo:rerun-if-env-changed=MUNIFED_PACK_RELOCATIONS");
    let wanted = std::env::var("MUNIFED_PACK_RELOCATIONS").map_or(true, |v| v != "0");
    if wanted && runs_on_glibc_with_relr() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

fn runs_on_glibc_with_relr() -> bool {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "linux"
        || var("CARGO_CFG_TARGET_ENV") != "gnu"
        || var("HOST") != var("TARGET")
    {
        return false;
    }
    // "glibc 2.36"
    let Ok(output) = std::process::Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
    else {
        return false;
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let Some(version) = text.trim().strip_prefix("glibc ") else {
        return false;
    };
    let mut numbers = version.split('.').map(|n| n.parse::<u32>().unwrap_or(0));
    let major = numbers.next().unwrap_or(0);
    let minor = numbers.next().unwrap_or(0);
    (major, minor) >= (2, 36)
}
