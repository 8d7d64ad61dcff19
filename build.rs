// embed_migrations! only sees the migration folders that existed at the last build.
fn main() {
    println!("cargo:rerun-if-changed=migrations/postgres");
    println!("cargo:rerun-if-changed=migrations/sqlite");
    println!("cargo:rerun-if-changed=src/web/templates");
}
