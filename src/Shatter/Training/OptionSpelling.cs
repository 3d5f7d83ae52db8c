namespace Shatter.Training;

/// <summary>How an error message names an option: as the command line spells it (<c>--lr</c>) or as a spec does (<c>option 'learning_rate'</c>).</summary>
public enum OptionSpelling
{
    Cli,
    Spec,
}
