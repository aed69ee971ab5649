// A package may be a .zip of its folder, at the root or inside one folder.
#include <gtest/gtest.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "package/package_reader.hpp"

namespace assay {
namespace {

namespace fs = std::filesystem;

void add(zip_t* z, const std::string& name, const std::string& text) {
  // libzip keeps the buffer until zip_close, so it must outlive this call.
  static std::vector<std::unique_ptr<std::string>> keep;
  keep.push_back(std::make_unique<std::string>(text));
  zip_source_t* src = zip_source_buffer(z, keep.back()->data(), keep.back()->size(), 0);
  ASSERT_GE(zip_file_add(z, name.c_str(), src, ZIP_FL_OVERWRITE), 0);
}

std::string make_zip(const std::string& prefix) {
  fs::path path = fs::temp_directory_path() / ("assay-zip-" + std::to_string(::getpid()) + "-" +
                                               (prefix.empty() ? "root" : "nested") + ".zip");
  fs::remove(path);
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  EXPECT_NE(z, nullptr);
  add(z, prefix + "package.toml",
      "name = \"Zipped\"\nreporting_year = 2024\nyears = [2024]\nconsolidation = "
      "\"operational_control\"\ncurrency = \"CNY\"\nfactor_sets = [\"ar6\"]\n");
  add(z, prefix + "sites.csv", "site_id,name,kind,country,grid_region\nS1,Office,office,CN,CN\n");
  add(z, prefix + "activities.csv",
      "record_id,site_id,start,end,activity,quantity,unit\n"
      "R1,S1,2024-01-01,2024-01-31,electricity.grid,10,kWh\n"
      "R2,S1,2024-01-01,2024-01-31,electricity.grid,10,litre\n");
  EXPECT_EQ(zip_close(z), 0);
  return path.string();
}

TEST(ZipPackage, ReadsAtTheRootAndInsideOneFolder) {
  for (std::string prefix : {"", "group-2024/"}) {
    std::string zip = make_zip(prefix);
    ReadOptions options;
    options.quarantine_dir = zip + ".q";
    PackageReadResult result;
    ASSERT_TRUE(read_package(zip, options, &result).is_ok());
    ASSERT_EQ(result.package.activities.size(), 1u) << prefix;
    EXPECT_EQ(result.package.activities[0].record_id, "R1");
    ASSERT_EQ(result.diagnostics.items().size(), 1u);
    EXPECT_EQ(result.diagnostics.items()[0].to_string(),
              "activities.csv:3:7: unit \"litre\" is not a unit of electricity.grid (expected kWh "
              "or MWh)");
    // The rejected row is quarantined verbatim, as from a folder.
    std::ifstream in(options.quarantine_dir + "/activities.csv", std::ios::binary);
    std::string q((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(q,
              "record_id,site_id,start,end,activity,quantity,unit\n"
              "R2,S1,2024-01-01,2024-01-31,electricity.grid,10,litre\n");
    fs::remove_all(options.quarantine_dir);
    fs::remove(zip);
  }
}

TEST(ZipPackage, RefusesWhatIsNeitherFolderNorZip) {
  fs::path p = fs::temp_directory_path() / ("assay-notzip-" + std::to_string(::getpid()));
  { std::ofstream(p) << "hello"; }
  PackageReadResult result;
  Status s = read_package(p.string(), ReadOptions{}, &result);
  EXPECT_FALSE(s.is_ok());
  EXPECT_EQ(s.message(), p.string() + ": not a package (expected a folder or a .zip of one)");
  fs::remove(p);
  EXPECT_EQ(read_package("/nonexistent/pkg", ReadOptions{}, &result).message(),
            "/nonexistent/pkg: no such file or folder");
}

}  // namespace
}  // namespace assay
