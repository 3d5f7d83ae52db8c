namespace Shatter.Tests;

/// <summary>The tests' scratch folders under the system temp folder.</summary>
public static class Scratch
{
    /// <summary>
    /// Deletes a test's scratch folder and everything in it. A process the test started may still be ending and writing
    /// into it (Chromium's helper processes, the children of a killed sweep, a PostgreSQL server stopped "immediate"), so a
    /// delete that meets "directory not empty" or a busy file is tried again for up to 10 s; after that the folder is left
    /// to the system's temp cleaning: a test's verdict is its assertions, never the cleanup of its scratch space.
    /// </summary>
    public static void Delete(string path)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(200);
            }
            catch (IOException)
            {
                return;
            }
        }
    }
}
